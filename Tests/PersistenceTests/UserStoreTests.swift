import BreakfixCore
import Foundation
import Testing

@testable import Persistence

extension PersistenceTests {
    @Suite struct Users {
        @Test(arguments: TestBackend.all)
        func createAndLookUpCaseInsensitively(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.userStore
                let alice = UserRecord(username: "Alice", passwordHash: "h", isAdmin: true)
                try await store.createUser(alice)
                let byID = try #require(try await store.user(id: alice.id))
                #expect(byID.username == "Alice")
                #expect(byID.passwordHash == "h")
                #expect(byID.isAdmin)
                #expect(sameInstant(byID.createdAt, alice.createdAt))
                #expect(try await store.user(username: "alice")?.id == alice.id)
                #expect(try await store.user(username: "ALICE")?.id == alice.id)
                #expect(try await store.user(username: "bob") == nil)
                #expect(try await store.user(id: UUID()) == nil)
            }
        }

        @Test(arguments: TestBackend.all)
        func duplicateUsernameIsRejected(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.userStore
                try await makeUser(db, "Bob")
                await #expect(throws: PersistenceError.usernameTaken("bob")) {
                    try await store.createUser(UserRecord(username: "bob", passwordHash: "x"))
                }
                let anonymous = try await makeUser(db)
                await #expect(throws: PersistenceError.usernameTaken("BOB")) {
                    try await store.register(userID: anonymous, username: "BOB", passwordHash: "x")
                }
                // Anonymous users have no username: any number of them.
                try await makeUser(db)
                try await makeUser(db)
            }
        }

        @Test(arguments: TestBackend.all)
        func registeringAnAnonymousUserKeepsItsID(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.userStore
                let id = try await makeUser(db)
                #expect(try await store.user(id: id)?.isAnonymous == true)
                let session = SessionRecord(id: newSessionID(), userID: id, scenario: "s", timeLimitSeconds: 60)
                try await db.sessionStore.enqueue(session)

                try await store.register(userID: id, username: "Carol", passwordHash: "bcrypt")
                let carol = try #require(try await store.user(username: "carol"))
                #expect(carol.id == id)
                #expect(carol.username == "Carol")
                #expect(carol.passwordHash == "bcrypt")
                #expect(try await db.sessionStore.sessions(userID: id).map(\.id) == [session.id])

                await #expect(throws: PersistenceError.alreadyRegistered(id)) {
                    try await store.register(userID: id, username: "Other", passwordHash: "x")
                }
                let unknown = UUID()
                await #expect(throws: PersistenceError.userNotFound(unknown)) {
                    try await store.register(userID: unknown, username: "Dave", passwordHash: "x")
                }
            }
        }

        @Test(arguments: TestBackend.all)
        func tokensExpireAndCanBeDeleted(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.userStore
                let id = try await makeUser(db, "erin")
                try await store.createToken("live", userID: id, expiresAt: Date().addingTimeInterval(3600))
                try await store.createToken("old", userID: id, expiresAt: Date().addingTimeInterval(-1))
                #expect(try await store.user(token: "live")?.id == id)
                #expect(try await store.user(token: "old") == nil)
                #expect(try await store.user(token: "unknown") == nil)

                #expect(try await store.deleteExpiredTokens() == 1)
                try await store.deleteToken("live")
                #expect(try await store.user(token: "live") == nil)
                try await store.deleteToken("live")  // deleting twice is fine

                await #expect(throws: PersistenceError.self) {
                    try await store.createToken("orphan", userID: UUID(), expiresAt: Date())
                }
            }
        }

        /// A copy of the database holds no usable cookie: only each token's SHA-256 is stored.
        @Test(arguments: TestBackend.all)
        func theDatabaseKeepsOnlyAHashOfEachToken(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let id = try await makeUser(db, "fay")
                let token = "4f1c2a9be07d4e55a1c3b2d9e8f70611"
                try await db.userStore.createToken(token, userID: id, expiresAt: Date().addingTimeInterval(3600))
                let stored = try await TokenModel.query(on: db.database()).all().compactMap(\.id)
                #expect(stored == ["sha256:" + SHA256.hex(Array(token.utf8))])
                #expect(!stored.contains { $0.contains(token) })
                #expect(try await db.userStore.user(token: token)?.id == id)
                #expect(try await db.userStore.user(token: stored[0]) == nil, "the stored value is not a token")
            }
        }

        /// Tokens stored in the clear by an older version are hashed by migration 008, and still
        /// log their users in: nobody is logged out, no anonymous player loses their sessions.
        @Test(arguments: TestBackend.all)
        func migrationHashesTokensStoredInTheClear(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let id = try await makeUser(db, "gus")
                let database = try db.database()
                try await TokenModel(token: "plain-old-token", userID: id, expiresAt: Date().addingTimeInterval(3600))
                    .create(on: database)
                #expect(try await db.userStore.user(token: "plain-old-token") == nil, "not found before the migration")
                try await Migration008HashTokens().prepare(on: database)
                #expect(try await db.userStore.user(token: "plain-old-token")?.id == id)
                let stored = try await TokenModel.query(on: database).all().compactMap(\.id)
                #expect(stored == [FluentUserStore.stored("plain-old-token")])
                // Running it again changes nothing.
                try await Migration008HashTokens().prepare(on: database)
                #expect(try await TokenModel.query(on: database).all().compactMap(\.id) == stored)
            }
        }
    }
}
