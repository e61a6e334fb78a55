import FluentKit
import SQLKit

struct Migration006CreateJobs: AsyncMigration {
    var name: String { "006_create_jobs" }

    func prepare(on database: any Database) async throws {
        // `subject` has no foreign key: the queue is generic (sessions now, code-judge submissions later).
        try await database.schema("jobs")
            .id()
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("worker", .string)
            .field("created_at", .datetime, .required)
            .field("claimed_at", .datetime)
            .field("finished_at", .datetime)
            .field("error", .string)
            .create()
        let sql = try database.sql()
        // The claim and the queue position scan queued jobs in creation order.
        try await sql.create(index: "jobs_state_created_at_idx").on("jobs").column("state").column("created_at").run()
        try await sql.create(index: "jobs_subject_idx").on("jobs").column("subject").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}
