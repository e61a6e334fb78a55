import BreakfixCore
import Foundation
import Logging
import SQLKit
import Testing

@testable import Persistence

/// For the tests that fail on purpose: the pool logs each failed connection.
private let quietLogger: Logger = {
    var logger = Logger(label: "persistence-tests")
    logger.logLevel = .critical
    return logger
}()

extension PersistenceTests {
    @Suite struct Database {
        @Test(arguments: TestBackend.all)
        func migrationsAreIdempotent(_ backend: TestBackend) async throws {
            try await withDatabase(backend, migrate: false) { db in
                try await db.migrate()
                try await db.migrate()
                let expected = [
                    "001_create_users", "002_create_tokens", "003_create_sessions", "004_create_attempts",
                    "005_create_clue_reveals", "006_create_jobs", "007_create_interviews", "008_hash_tokens",
                    "009_create_submissions",
                ]
                #expect(try await db.appliedMigrations() == expected)
                // And they revert cleanly and apply again.
                try await db.revertAllMigrations()
                #expect(try await db.appliedMigrations() == [])
                try await db.migrate()
                #expect(try await db.appliedMigrations() == expected)
                try await db.sessionStore.ping()
            }
        }

        /// Replicas starting together: the advisory lock lets one migrate, the other then finds
        /// nothing to do.
        @Test(arguments: TestBackend.all.compactMap(\.url))
        func concurrentMigrationsOnPostgres(_ url: String) async throws {
            try await withDatabase(.postgres(url: url), migrate: false) { db in
                let second = try await BreakfixDatabase.open(
                    url: url, dataDirectory: FileManager.default.temporaryDirectory, logger: db.logger)
                do {
                    async let first: Void = db.migrate()
                    async let other: Void = second.migrate()
                    _ = try await (first, other)
                    #expect(try await db.appliedMigrations().count == BreakfixMigrations.all.count)
                } catch {
                    await second.shutdown()
                    throw error
                }
                await second.shutdown()
            }
        }

        @Test func sqliteFileUsesWAL() async throws {
            try await withDatabase(.sqlite) { db in
                #expect(db.backend == .sqlite)
                #expect(db.location.hasSuffix("/breakfix.sqlite"))
                #expect(FileManager.default.fileExists(atPath: db.location))
                let row = try await db.database().sql().raw("PRAGMA journal_mode").first()
                #expect(try row?.decode(column: "journal_mode", as: String.self) == "wal")
            }
        }

        @Test func unreachablePostgresIsASentenceWithoutThePassword() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            do {
                _ = try await BreakfixDatabase.open(
                    url: "postgres://breakfix:s3cret@127.0.0.1:1/breakfix", dataDirectory: directory,
                    logger: quietLogger)
                Issue.record("opening an unreachable database succeeded")
            } catch {
                let message = "\(error)"
                #expect(
                    message == "Cannot reach PostgreSQL at 127.0.0.1:1/breakfix (connection refused). Check DATABASE_URL.")
                #expect(!message.contains("s3cret"))
            }
        }

        @Test(arguments: TestBackend.all.compactMap(\.url))
        func missingPostgresDatabaseIsASentence(_ url: String) async throws {
            var components = try #require(URLComponents(string: url))
            components.path = "/breakfix_no_such_database"
            await #expect {
                _ = try await BreakfixDatabase.open(
                    url: components.string, dataDirectory: FileManager.default.temporaryDirectory,
                    logger: quietLogger)
            } throws: { error in
                "\(error)".hasSuffix("/breakfix_no_such_database (the database does not exist). Check DATABASE_URL.")
            }
        }

        @Test func unsupportedSchemeIsRejected() async throws {
            await #expect(throws: PersistenceError.self) {
                _ = try await BreakfixDatabase.open(
                    url: "mysql://root@localhost/x", dataDirectory: FileManager.default.temporaryDirectory,
                    logger: Logger(label: "test"))
            }
        }
    }
}
