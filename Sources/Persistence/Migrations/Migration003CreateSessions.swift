import FluentKit
import SQLKit

struct Migration003CreateSessions: AsyncMigration {
    var name: String { "003_create_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("scenario", .string, .required)
            .field("state", .string, .required)
            .field("phase", .string)
            .field("sandbox_id", .string)
            .field("reason", .string)
            .field("time_limit_seconds", .int, .required)
            .field("created_at", .datetime, .required)
            .field("provisioning_at", .datetime)
            .field("ready_at", .datetime)
            .field("expires_at", .datetime)
            .field("solved_at", .datetime)
            .field("ended_at", .datetime)
            .field("destroyed_at", .datetime)
            .create()
        let sql = try database.sql()
        // "My sessions", the reaper and the live-session limit look sessions up by user and by state;
        // leaderboards by scenario.
        try await sql.create(index: "sessions_user_id_idx").on("sessions").column("user_id").run()
        try await sql.create(index: "sessions_state_idx").on("sessions").column("state").run()
        try await sql.create(index: "sessions_scenario_idx").on("sessions").column("scenario").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}
