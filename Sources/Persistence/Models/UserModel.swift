import BreakfixCore
import FluentKit
import Foundation

/// A row of `users`. Anonymous users have no username; `username_key` (the lowercased username) is
/// what is unique, so that `Alice` and `alice` cannot both register.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "username") var username: String?
    @OptionalField(key: "username_key") var usernameKey: String?
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "is_admin") var isAdmin: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ record: UserRecord) {
        self.id = record.id
        self.username = record.username
        self.usernameKey = record.username.map(UserModel.key(for:))
        self.passwordHash = record.passwordHash
        self.isAdmin = record.isAdmin
        self.createdAt = record.createdAt
    }

    static func key(for username: String) -> String { username.lowercased() }

    func record() throws -> UserRecord {
        UserRecord(
            id: try requireID(), username: username, passwordHash: passwordHash, isAdmin: isAdmin, createdAt: createdAt)
    }
}
