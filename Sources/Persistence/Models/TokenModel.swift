import FluentKit
import Foundation

/// A row of `tokens`: a login token's SHA-256 (`FluentUserStore.stored`, the primary key) for a
/// user, valid until `expires_at`. The token itself is only in the user's cookie.
final class TokenModel: Model, @unchecked Sendable {
    static let schema = "tokens"

    @ID(custom: "token", generatedBy: .user) var id: String?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(token: String, userID: UUID, expiresAt: Date, createdAt: Date = Date()) {
        self.id = token
        self.userID = userID
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
