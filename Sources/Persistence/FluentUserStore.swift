import BreakfixCore
import FluentKit
import Foundation

/// Users and login tokens in the Breakfix database.
public struct FluentUserStore: UserStore {
    let db: BreakfixDatabase

    public init(database: BreakfixDatabase) {
        self.db = database
    }

    /// Throws ``PersistenceError/usernameTaken(_:)`` when the username (case-insensitively) is taken.
    public func createUser(_ user: UserRecord) async throws {
        do {
            try await UserModel(user).create(on: db.database())
        } catch where error.isConstraintFailure && user.username != nil {
            throw PersistenceError.usernameTaken(user.username ?? "")
        }
    }

    public func user(id: UUID) async throws -> UserRecord? {
        try await UserModel.find(id, on: db.database())?.record()
    }

    public func user(username: String) async throws -> UserRecord? {
        try await UserModel.query(on: db.database())
            .filter(\.$usernameKey == UserModel.key(for: username))
            .first()?.record()
    }

    /// Throws ``PersistenceError/userNotFound(_:)``, ``PersistenceError/alreadyRegistered(_:)`` or
    /// ``PersistenceError/usernameTaken(_:)``.
    public func register(userID: UUID, username: String, passwordHash: String) async throws {
        let database = try db.database()
        guard let model = try await UserModel.find(userID, on: database) else {
            throw PersistenceError.userNotFound(userID)
        }
        guard model.username == nil else { throw PersistenceError.alreadyRegistered(userID) }
        model.username = username
        model.usernameKey = UserModel.key(for: username)
        model.passwordHash = passwordHash
        do {
            try await model.update(on: database)
        } catch where error.isConstraintFailure {
            throw PersistenceError.usernameTaken(username)
        }
    }

    public func createToken(_ token: String, userID: UUID, expiresAt: Date) async throws {
        do {
            try await TokenModel(token: Self.stored(token), userID: userID, expiresAt: expiresAt).create(on: db.database())
        } catch where error.isConstraintFailure {
            // The token is 128+ random bits: a collision means the user does not exist.
            if try await user(id: userID) == nil { throw PersistenceError.userNotFound(userID) }
            throw error
        }
    }

    /// The token's user, or nil when the token is unknown or expired.
    public func user(token: String) async throws -> UserRecord? {
        let database = try db.database()
        guard let model = try await TokenModel.find(Self.stored(token), on: database), model.expiresAt > Date() else {
            return nil
        }
        return try await UserModel.find(model.userID, on: database)?.record()
    }

    public func deleteToken(_ token: String) async throws {
        try await TokenModel.query(on: db.database()).filter(\.$id == Self.stored(token)).delete()
    }

    /// What the database keeps of a login token: its SHA-256, so a copy of the database (a backup,
    /// a leaked dump) holds no usable cookie. Tokens are 128+ random bits: no salt or slow hash needed.
    static func stored(_ token: String) -> String {
        "sha256:" + SHA256.hex(Array(token.utf8))
    }

    /// Removes expired tokens; returns how many there were (for the reaper).
    @discardableResult
    public func deleteExpiredTokens(now: Date = Date()) async throws -> Int {
        let database = try db.database()
        let count = try await TokenModel.query(on: database).filter(\.$expiresAt <= now).count()
        try await TokenModel.query(on: database).filter(\.$expiresAt <= now).delete()
        return count
    }
}
