import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import SQLKit

/// The database Breakfix runs on: owns Fluent's `Databases`, the event loops and the thread pool
/// behind them, and shuts them down in order. Open one per process, hand the stores out of it.
///
/// ```swift
/// let db = try await BreakfixDatabase.open(url: env["DATABASE_URL"], dataDirectory: dataDir, logger: logger)
/// try await db.migrate()
/// let users = db.userStore, sessions = db.sessionStore
/// …
/// await db.shutdown()
/// ```
public final class BreakfixDatabase: Sendable {
    public enum Backend: String, Sendable {
        case sqlite, postgres
    }

    public let backend: Backend
    /// Where the data is, for logs and errors: the SQLite file, or `host:port/database` (never a password).
    public let location: String
    let databases: Databases
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let logger: Logger
    private let isShutDown = OnceFlag()

    private init(
        backend: Backend, location: String, databases: Databases, eventLoopGroup: MultiThreadedEventLoopGroup,
        threadPool: NIOThreadPool, logger: Logger
    ) {
        self.backend = backend
        self.location = location
        self.databases = databases
        self.eventLoopGroup = eventLoopGroup
        self.threadPool = threadPool
        self.logger = logger
    }

    /// Opens the database and checks that it answers.
    ///
    /// - Parameters:
    ///   - url: `DATABASE_URL`. nil (or empty) → SQLite file `<dataDirectory>/breakfix.sqlite`;
    ///     `postgres://user:pass@host:port/db` (or `postgresql://`) → PostgreSQL; `sqlite:///path/file`
    ///     → that SQLite file.
    ///   - dataDirectory: where the SQLite file lives; created if missing.
    public static func open(url: String?, dataDirectory: URL, logger: Logger) async throws -> BreakfixDatabase {
        let target = try Target(url: url, dataDirectory: dataDirectory)
        let threads = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let threadPool = NIOThreadPool(numberOfThreads: threads)
        threadPool.start()
        let databases = Databases(threadPool: threadPool, on: eventLoopGroup)

        let backend: Backend
        let location: String
        switch target {
        case .sqlite(let file):
            backend = .sqlite
            location = file.path
            do {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                try? await threadPool.shutdownGracefully()
                try? await eventLoopGroup.shutdownGracefully()
                throw PersistenceError.unavailable(
                    "Cannot create the data directory \(file.deletingLastPathComponent().path) (\(error.localizedDescription)). Check that it is writable or set another data directory."
                )
            }
            // sqlite-kit keeps one connection per event loop (maxConnectionsPerEventLoop is ignored).
            databases.use(.sqlite(.file(file.path)), as: .sqlite)
        case .postgres(let configuration, let display):
            backend = .postgres
            location = display
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4), as: .psql)
        }

        let db = BreakfixDatabase(
            backend: backend, location: location, databases: databases, eventLoopGroup: eventLoopGroup,
            threadPool: threadPool, logger: logger)
        do {
            try await db.prepareConnections()
        } catch {
            await db.shutdown()
            throw db.describeOpenFailure(error)
        }
        return db
    }

    /// A database handle on one of the event loops (queries lease a pooled connection).
    func database() throws -> any Database {
        guard let database = databases.database(logger: logger, on: eventLoopGroup.any()) else {
            throw PersistenceError.unavailable("The database has been shut down.")
        }
        return database
    }

    /// Applies the migrations not yet applied. Idempotent; run on every server start and by
    /// `breakfix migrate`.
    public func migrate() async throws {
        switch backend {
        case .sqlite:
            try await prepareMigrations()
        case .postgres:
            // Several replicas may start at once. Fluent's migrator takes no lock, so one session-level
            // advisory lock, held on one connection while the migrator uses others, makes the rest
            // wait and then find nothing left to do.
            try await database().withConnection { connection in
                let sql = try connection.sql()
                try await sql.raw("SELECT pg_advisory_lock(\(literal: Self.migrationLockKey))").run()
                do {
                    try await self.prepareMigrations()
                } catch {
                    try? await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
                    throw error
                }
                try await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
            }
        }
    }

    /// "Breakfix" in ASCII: the advisory lock key that serializes migrations across processes.
    static let migrationLockKey = 0x4272_6561_6b66_6978

    private func prepareMigrations() async throws {
        let migrator = makeMigrator()
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Names of the applied migrations, in the order they ran (for `breakfix migrate --status`).
    public func appliedMigrations() async throws -> [String] {
        let rows = try await database().sql()
            .raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at").all()
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }

    /// Reverts every migration: drops every table. For tests and for an operator starting over.
    public func revertAllMigrations() async throws {
        let migrator = makeMigrator()
        try await migrator.setupIfNeeded().get()
        try await migrator.revertAllBatches().get()
    }

    public var userStore: FluentUserStore { FluentUserStore(database: self) }
    public var sessionStore: FluentSessionStore { FluentSessionStore(database: self) }
    public var interviewStore: FluentInterviewStore { FluentInterviewStore(database: self) }

    /// Closes every connection, then stops the thread pool and the event loops. Call once, last.
    public func shutdown() async {
        guard isShutDown.setIfUnset() else { return }
        await databases.shutdownAsync()
        do {
            try await threadPool.shutdownGracefully()
            try await eventLoopGroup.shutdownGracefully()
        } catch {
            logger.warning("Database threads did not shut down cleanly: \(error)")
        }
    }

    private func makeMigrator() -> Migrator {
        let migrations = Migrations()
        migrations.add(BreakfixMigrations.all)
        return Migrator(
            databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(),
            migrationLogLevel: .info)
    }

    /// Checks the database answers, and sets up SQLite for several connections.
    private func prepareConnections() async throws {
        switch backend {
        case .postgres:
            try await database().sql().raw("SELECT 1").run()
        case .sqlite:
            // WAL lets readers run beside the single writer; it is a property of the file and persists.
            try await database().sql().raw("PRAGMA journal_mode = WAL").run()
            // sqlite-nio installs a busy handler that retries forever without sleeping; a timeout
            // instead sleeps between retries and gives up with SQLITE_BUSY after 10 s. It is per
            // connection: sqlite-kit opens one per event loop and keeps it, so set it on each.
            for eventLoop in eventLoopGroup.makeIterator() {
                guard let database = databases.database(logger: logger, on: eventLoop) else { continue }
                try await database.sql().raw("PRAGMA busy_timeout = 10000").run()
                try await database.sql().raw("PRAGMA synchronous = NORMAL").run()
            }
        }
    }

    private func describeOpenFailure(_ error: any Error) -> PersistenceError {
        switch backend {
        case .sqlite:
            return .unavailable(
                "Cannot open the SQLite database \(location) (\(error)). Check that the data directory is writable.")
        case .postgres:
            let detail = String(reflecting: error)
            let reason: String
            if detail.contains("refused") || detail.contains("ECONNREFUSED") {
                reason = "connection refused"
            } else if detail.contains("28P01") || detail.contains("28000") || detail.contains("password") {
                reason = "login refused"
            } else if detail.contains("3D000") {
                reason = "the database does not exist"
            } else if detail.contains("timed out") || detail.contains("connectTimeout") || detail.contains("timeout") {
                reason = "timed out"
            } else if detail.contains("resolve") || detail.contains("NXDOMAIN") || detail.contains("lookup") {
                reason = "host name not found"
            } else {
                reason = "\(error)"
            }
            return .unavailable("Cannot reach PostgreSQL at \(location) (\(reason)). Check DATABASE_URL.")
        }
    }
}

/// What a `DATABASE_URL` points at.
enum Target {
    case sqlite(URL)
    /// The configuration and `host:port/database` for messages.
    case postgres(SQLPostgresConfiguration, String)

    init(url: String?, dataDirectory: URL) throws {
        guard let url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            self = .sqlite(dataDirectory.appendingPathComponent("breakfix.sqlite"))
            return
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw PersistenceError.unavailable(
                "DATABASE_URL is not a URL. Use postgres://user:password@host:5432/database, or leave it unset for SQLite.")
        }
        switch scheme {
        case "postgres", "postgresql":
            let host = components.host ?? "localhost"
            let port = components.port ?? 5432
            let name = components.path.split(separator: "/").first.map(String.init) ?? ""
            let display = "\(host):\(port)" + (name.isEmpty ? "" : "/\(name)")
            do {
                // SQLPostgresConfiguration only accepts the `postgres` scheme.
                var normalized = components
                normalized.scheme = "postgres"
                self = .postgres(try SQLPostgresConfiguration(url: normalized.string ?? url), display)
            } catch {
                // The underlying error may quote the URL, password included: not repeated here.
                throw PersistenceError.unavailable(
                    "DATABASE_URL for PostgreSQL at \(display) is not valid. Use postgres://user:password@host:5432/database."
                )
            }
        case "sqlite":
            guard !components.path.isEmpty else {
                throw PersistenceError.unavailable("DATABASE_URL sqlite:// needs a file path, e.g. sqlite:///var/lib/breakfix/breakfix.sqlite.")
            }
            self = .sqlite(URL(fileURLWithPath: components.path))
        default:
            throw PersistenceError.unavailable(
                "DATABASE_URL has the unsupported scheme \"\(scheme)\". Use postgres://…, or leave it unset for SQLite.")
        }
    }
}

/// Set once, from any thread.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false

    /// True for the first caller only.
    func setIfUnset() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if isSet { return false }
        isSet = true
        return true
    }
}
