import Testing
import BreakfixCore
import Foundation
import Logging
import SQLKit

@testable import Persistence

/// The databases the suite runs against: always a real SQLite file; PostgreSQL too when
/// `BREAKFIX_TEST_DATABASE_URL` is set (see scripts/test-postgres.sh).
enum TestBackend: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(url: String)

    static var all: [TestBackend] {
        var backends: [TestBackend] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["BREAKFIX_TEST_DATABASE_URL"], !url.isEmpty {
            backends.append(.postgres(url: url))
        }
        return backends
    }

    var url: String? {
        switch self {
        case .sqlite: nil
        case .postgres(let url): url
        }
    }

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// Opens a fresh, migrated database for one test and closes it after: a new SQLite file in a new
/// temp dir, or the Postgres test database with its `public` schema dropped and recreated.
func withDatabase(
    _ backend: TestBackend, migrate: Bool = true, _ body: (BreakfixDatabase) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("breakfix-persistence-\(UUID().uuidString)")
    var logger = Logger(label: "persistence-tests")
    logger.logLevel = .warning
    let db = try await BreakfixDatabase.open(url: backend.url, dataDirectory: directory, logger: logger)
    do {
        if case .postgres = backend {
            let sql = try db.database().sql()
            try await sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        if migrate { try await db.migrate() }
        try await body(db)
    } catch {
        await db.shutdown()
        try? FileManager.default.removeItem(at: directory)
        throw error
    }
    await db.shutdown()
    try? FileManager.default.removeItem(at: directory)
}

/// Creates a user (registered when `username` is given) and returns its id.
@discardableResult
func makeUser(_ db: BreakfixDatabase, _ username: String? = nil) async throws -> UUID {
    let user = UserRecord(username: username, passwordHash: username.map { "hash-\($0)" })
    try await db.userStore.createUser(user)
    return user.id
}

/// A new 128-bit hex id, like the ones the session service makes.
func newSessionID() -> String {
    UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
}

/// Dates survive a round-trip to microseconds; compare to the millisecond.
func sameInstant(_ a: Date?, _ b: Date?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case (let a?, let b?): abs(a.timeIntervalSince(b)) < 0.001
    default: false
    }
}

func sameSession(_ a: SessionRecord?, _ b: SessionRecord?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.id == b.id && a.userID == b.userID && a.scenario == b.scenario && a.state == b.state
        && a.phase == b.phase && a.sandboxID == b.sandboxID && a.reason == b.reason
        && a.timeLimitSeconds == b.timeLimitSeconds && sameInstant(a.createdAt, b.createdAt)
        && sameInstant(a.provisioningAt, b.provisioningAt) && sameInstant(a.readyAt, b.readyAt)
        && sameInstant(a.expiresAt, b.expiresAt) && sameInstant(a.solvedAt, b.solvedAt)
        && sameInstant(a.endedAt, b.endedAt) && sameInstant(a.destroyedAt, b.destroyedAt)
}
