import FluentKit

/// Login tokens were stored as they are; from here on only their SHA-256 is kept
/// (`FluentUserStore.stored`). Every existing token is rewritten in place, so nobody is logged out
/// and no anonymous player loses the identity their sessions belong to.
struct Migration008HashTokens: AsyncMigration {
    var name: String { "008_hash_tokens" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            for token in try await TokenModel.query(on: tx).all() {
                guard let plain = token.id, !plain.hasPrefix("sha256:") else { continue }
                try await TokenModel(
                    token: FluentUserStore.stored(plain), userID: token.userID, expiresAt: token.expiresAt,
                    createdAt: token.createdAt
                ).create(on: tx)
                try await token.delete(on: tx)
            }
        }
    }

    /// Hashes cannot be turned back into tokens: reverting logs everyone out of the old version.
    func revert(on database: any Database) async throws {
        try await TokenModel.query(on: database).delete()
    }
}
