import FluentKit

struct Migration001CreateUsers: AsyncMigration {
    // Fixed names: the default (the Swift type name) would change with a rename and re-run it.
    var name: String { "001_create_users" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string)
            .field("username_key", .string)
            .field("password_hash", .string)
            .field("is_admin", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "username_key", name: "users_username_key_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
