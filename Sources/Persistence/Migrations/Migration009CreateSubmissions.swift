import FluentKit
import SQLKit

/// Code challenges: submissions (their jobs go in `jobs`, kind `judge_submission`), contests and
/// their participants.
struct Migration009CreateSubmissions: AsyncMigration {
    var name: String { "009_create_submissions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("submissions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("challenge", .string, .required)
            .field("language", .string, .required)
            .field("source", .string, .required)
            .field("state", .string, .required)
            .field("verdict", .string)
            .field("failed_test", .int)
            .field("compile_output", .string)
            .field("tests", .string, .required)
            .field("test_count", .int, .required)
            .field("created_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("internal_error", .string)
            .field("contest_id", .string)
            .create()
        // A session started from a contest page counts for that contest.
        try await database.schema("sessions").field("contest_id", .string).update()
        try await database.schema("contests")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required)
            .field("owner_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("items", .string, .required)
            .field("scoring", .string, .required)
            .field("freeze_minutes", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("contest_participants")
            .id()
            .field("contest_id", .string, .required, .references("contests", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("joined_at", .datetime, .required)
            .unique(on: "contest_id", "user_id", name: "contest_participants_unique")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "submissions_user_challenge_idx").on("submissions").column("user_id").column("challenge").run()
        try await sql.create(index: "submissions_challenge_created_idx").on("submissions").column("challenge").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contest_participants").delete()
        try await database.schema("contests").delete()
        try await database.schema("submissions").delete()
        try await database.schema("sessions").deleteField("contest_id").update()
    }
}
