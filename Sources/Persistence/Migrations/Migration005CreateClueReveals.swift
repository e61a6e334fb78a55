import FluentKit

struct Migration005CreateClueReveals: AsyncMigration {
    var name: String { "005_create_clue_reveals" }

    func prepare(on database: any Database) async throws {
        // The unique constraint's index also serves lookups by session_id (its leading column).
        try await database.schema("clue_reveals")
            .id()
            .field("session_id", .string, .required, .references("sessions", "id", onDelete: .cascade))
            .field("index", .int, .required)
            .field("at", .datetime, .required)
            .unique(on: "session_id", "index", name: "clue_reveals_session_index_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("clue_reveals").delete()
    }
}
