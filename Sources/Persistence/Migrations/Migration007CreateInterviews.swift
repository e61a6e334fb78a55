import FluentKit
import SQLKit

/// Interview mode: interviews, their observers' notes, and the link from a session to its interview.
struct Migration007CreateInterviews: AsyncMigration {
    var name: String { "007_create_interviews" }

    func prepare(on database: any Database) async throws {
        try await database.schema("interviews")
            .field("id", .string, .identifier(auto: false))
            .field("owner_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("scenarios", .string, .required)
            .field("time_limit_seconds", .int, .required)
            .field("clues_allowed", .bool, .required)
            .field("note", .string, .required)
            .field("invite_token", .string, .required)
            .field("observer_token", .string, .required)
            .field("invite_expires_at", .datetime, .required)
            .field("candidate_id", .uuid)
            .field("started_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "invite_token", name: "interviews_invite_token_unique")
            .create()
        try await database.schema("interview_notes")
            .id()
            .field("interview_id", .string, .required, .references("interviews", "id", onDelete: .cascade))
            .field("session_id", .string)
            .field("author", .string, .required)
            .field("at", .datetime, .required)
            .field("text", .string, .required)
            .create()
        // One column per ALTER: SQLite adds a single column at a time.
        try await database.schema("sessions").field("interview_id", .string).update()
        try await database.schema("sessions")
            .field("clues_allowed", .bool, .required, .sql(.default(SQLLiteral.boolean(true))))
            .update()
        let sql = try database.sql()
        try await sql.create(index: "interviews_owner_idx").on("interviews").column("owner_id").run()
        try await sql.create(index: "interview_notes_interview_idx").on("interview_notes").column("interview_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("clues_allowed").update()
        try await database.schema("sessions").deleteField("interview_id").update()
        try await database.schema("interview_notes").delete()
        try await database.schema("interviews").delete()
    }
}
