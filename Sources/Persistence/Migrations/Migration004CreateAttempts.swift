import FluentKit
import SQLKit

struct Migration004CreateAttempts: AsyncMigration {
    var name: String { "004_create_attempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attempts")
            .id()
            .field("session_id", .string, .required, .references("sessions", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("verdict", .string, .required)
            .field("message", .string)
            .create()
        try await database.sql().create(index: "attempts_session_id_idx").on("attempts").column("session_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attempts").delete()
    }
}
