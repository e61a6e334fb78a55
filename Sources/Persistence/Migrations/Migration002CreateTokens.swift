import FluentKit
import SQLKit

struct Migration002CreateTokens: AsyncMigration {
    var name: String { "002_create_tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tokens")
            .field("token", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql().create(index: "tokens_user_id_idx").on("tokens").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tokens").delete()
    }
}
