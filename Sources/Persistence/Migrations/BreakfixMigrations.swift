import FluentKit

/// Every migration, in order. Append only: a shipped migration is never edited or reordered.
enum BreakfixMigrations {
    static let all: [any Migration] = [
        Migration001CreateUsers(),
        Migration002CreateTokens(),
        Migration003CreateSessions(),
        Migration004CreateAttempts(),
        Migration005CreateClueReveals(),
        Migration006CreateJobs(),
        Migration007CreateInterviews(),
        Migration008HashTokens(),
        Migration009CreateSubmissions(),
    ]
}
