import Foundation

public enum ContestScoring: String, Sendable, Codable, CaseIterable {
    /// Solved count, then penalty minutes (minutes to each first solve + 20 per rejected attempt before it).
    case icpc
    /// Points per solved item by difficulty (easy 100, medium 200, hard 300), then penalty minutes.
    case points
}

public struct ContestItem: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case scenario, challenge }
    public var kind: Kind
    public var slug: String

    public init(kind: Kind, slug: String) {
        self.kind = kind
        self.slug = slug
    }
}

/// A timed contest over scenarios and code challenges.
public struct ContestRecord: Sendable, Equatable {
    public var id: String
    public var title: String
    public var ownerID: UUID
    public var startsAt: Date
    public var endsAt: Date
    public var items: [ContestItem]
    public var scoring: ContestScoring
    /// The public scoreboard stops changing this many minutes before the end (0: never frozen).
    public var freezeMinutes: Int
    public var createdAt: Date

    public init(
        id: String = randomToken(), title: String, ownerID: UUID, startsAt: Date, endsAt: Date, items: [ContestItem],
        scoring: ContestScoring, freezeMinutes: Int = 0, createdAt: Date = Date()
    ) {
        self.id = id
        self.title = title
        self.ownerID = ownerID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.items = items
        self.scoring = scoring
        self.freezeMinutes = freezeMinutes
        self.createdAt = createdAt
    }

    /// When the public scoreboard freezes (nil: never).
    public var freezesAt: Date? {
        freezeMinutes > 0 ? endsAt.addingTimeInterval(-Double(freezeMinutes) * 60) : nil
    }

    public func isRunning(at now: Date) -> Bool { now >= startsAt && now <= endsAt }
}

/// One judged try at a contest item: a scenario check (OK = accepted) or a submission (AC = accepted).
public struct ContestAttempt: Sendable, Equatable {
    public var userID: UUID
    public var slug: String
    public var at: Date
    public var accepted: Bool

    public init(userID: UUID, slug: String, at: Date, accepted: Bool) {
        self.userID = userID
        self.slug = slug
        self.at = at
        self.accepted = accepted
    }
}

public struct ContestParticipant: Sendable, Equatable {
    public var userID: UUID
    public var username: String

    public init(userID: UUID, username: String) {
        self.userID = userID
        self.username = username
    }
}

public struct ContestItemScore: Sendable, Equatable, Codable {
    public var slug: String
    public var solved: Bool
    /// Tries counted: up to and including the first accepted one.
    public var attempts: Int
    /// Minutes from the start to the first accepted try.
    public var minutes: Int?

    public init(slug: String, solved: Bool, attempts: Int, minutes: Int?) {
        self.slug = slug
        self.solved = solved
        self.attempts = attempts
        self.minutes = minutes
    }
}

public struct ContestRow: Sendable, Equatable {
    public var rank: Int
    public var username: String
    public var solved: Int
    public var penaltyMinutes: Int
    public var points: Int
    public var items: [ContestItemScore]

    public init(rank: Int, username: String, solved: Int, penaltyMinutes: Int, points: Int, items: [ContestItemScore]) {
        self.rank = rank
        self.username = username
        self.solved = solved
        self.penaltyMinutes = penaltyMinutes
        self.points = points
        self.items = items
    }
}

public struct ContestScoreboard: Sendable, Equatable {
    public var frozen: Bool
    public var rows: [ContestRow]

    public init(frozen: Bool, rows: [ContestRow]) {
        self.frozen = frozen
        self.rows = rows
    }

    public static let penaltyPerRejection = 20

    public static func points(for difficulty: Difficulty) -> Int {
        switch difficulty {
        case .easy: return 100
        case .medium: return 200
        case .hard: return 300
        }
    }

    /// The scoreboard at `now`. Tries outside the contest's window never count; after an item's
    /// first accepted try, later tries of it do not count; while frozen (the last `freezeMinutes`
    /// before the end, unless `unfrozen`), tries from the freeze on are left out until the end.
    /// Equal scores share a rank (1, 1, 3); rows within a rank are by name.
    public static func compute(
        contest: ContestRecord, participants: [ContestParticipant], attempts: [ContestAttempt],
        difficulties: [String: Difficulty], now: Date, unfrozen: Bool = false
    ) -> ContestScoreboard {
        var cutoff = min(now, contest.endsAt)
        var frozen = false
        if !unfrozen, let freeze = contest.freezesAt, now >= freeze, now <= contest.endsAt {
            frozen = true
            cutoff = freeze
        }
        let slugs = contest.items.map(\.slug)
        let ordered = attempts.filter { $0.at >= contest.startsAt && ($0.at <= cutoff && !(frozen && $0.at >= cutoff)) }
            .sorted { $0.at < $1.at }
        struct Progress {
            var attempts = 0
            var solvedAt: Date?
        }
        var table: [UUID: [String: Progress]] = [:]
        for attempt in ordered where slugs.contains(attempt.slug) {
            var progress = table[attempt.userID]?[attempt.slug] ?? Progress()
            guard progress.solvedAt == nil else { continue }
            progress.attempts += 1
            if attempt.accepted { progress.solvedAt = attempt.at }
            table[attempt.userID, default: [:]][attempt.slug] = progress
        }
        var rows: [ContestRow] = participants.map { participant in
            var solved = 0
            var penalty = 0
            var points = 0
            let items = slugs.map { slug -> ContestItemScore in
                let progress = table[participant.userID]?[slug] ?? Progress()
                guard let at = progress.solvedAt else {
                    return ContestItemScore(slug: slug, solved: false, attempts: progress.attempts, minutes: nil)
                }
                let minutes = Int(at.timeIntervalSince(contest.startsAt) / 60)
                solved += 1
                penalty += minutes + penaltyPerRejection * (progress.attempts - 1)
                points += Self.points(for: difficulties[slug] ?? .easy)
                return ContestItemScore(slug: slug, solved: true, attempts: progress.attempts, minutes: minutes)
            }
            return ContestRow(rank: 0, username: participant.username, solved: solved, penaltyMinutes: penalty, points: points, items: items)
        }
        let key: (ContestRow) -> (Int, Int) = { row in
            (contest.scoring == .icpc ? -row.solved : -row.points, row.penaltyMinutes)
        }
        rows.sort { a, b in key(a) != key(b) ? key(a) < key(b) : a.username < b.username }
        for index in rows.indices {
            rows[index].rank = index > 0 && key(rows[index]) == key(rows[index - 1]) ? rows[index - 1].rank : index + 1
        }
        return ContestScoreboard(frozen: frozen, rows: rows)
    }
}

/// Contests and who joined them.
public protocol ContestStore: Sendable {
    func create(_ contest: ContestRecord) async throws
    func contest(id: String) async throws -> ContestRecord?
    func contests() async throws -> [ContestRecord]
    /// Adds the user; false if they had already joined.
    func join(contestID: String, userID: UUID, at: Date) async throws -> Bool
    func isParticipant(contestID: String, userID: UUID) async throws -> Bool
    /// Participants with a username (anonymous users cannot join).
    func participants(contestID: String) async throws -> [ContestParticipant]
    /// The checks of sessions started in this contest (OK = accepted) and its submissions
    /// (AC = accepted; IE and CE are not counted as tries).
    func attempts(contestID: String) async throws -> [ContestAttempt]
}

public enum ContestError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound
    case forbidden(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound: return "There is no such contest."
        case .forbidden(let message), .invalid(let message): return message
        }
    }
}
