import BreakfixCore
import FluentKit
import Foundation
import SQLKit

/// Sessions, attempts, clue reveals and the start-job queue in the Breakfix database.
public struct FluentSessionStore: SessionStore {
    let db: BreakfixDatabase

    public init(database: BreakfixDatabase) {
        self.db = database
    }

    /// Inserts the session (as `queued`, whatever state the record says) and its `start_session`
    /// job in one transaction. The job takes the session's `createdAt`, so the queue runs in the
    /// order sessions were asked for.
    public func enqueue(_ session: SessionRecord) async throws {
        var session = session
        session.state = .queued
        session.phase = nil
        let queued = session
        try await db.database().transaction { tx in
            try await SessionModel(queued).create(on: tx)
            try await JobModel(kind: JobModel.Kind.startSession, subject: queued.id, createdAt: queued.createdAt)
                .create(on: tx)
        }
    }

    public func create(_ session: SessionRecord) async throws {
        try await SessionModel(session).create(on: db.database())
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await SessionModel.find(id, on: db.database())?.record()
    }

    /// Writes every field of the record. Throws ``PersistenceError/sessionNotFound(_:)``.
    public func update(_ session: SessionRecord) async throws {
        let database = try db.database()
        guard let model = try await SessionModel.find(session.id, on: database) else {
            throw PersistenceError.sessionNotFound(session.id)
        }
        model.apply(session)
        try await model.update(on: database)
    }

    public func recordPhase(sessionID: String, _ phase: ProvisionPhase) async throws {
        try await SessionModel.query(on: db.database())
            .filter(\.$id == sessionID).filter(\.$state == SessionState.provisioning.rawValue)
            .set(\.$phase, to: phase.rawValue)
            .update()
    }

    public func markReady(_ session: SessionRecord) async throws -> Bool {
        let database = try db.database()
        try await SessionModel.query(on: database)
            .filter(\.$id == session.id).filter(\.$state == SessionState.provisioning.rawValue)
            .set(\.$state, to: SessionState.ready.rawValue).set(\.$phase, to: session.phase?.rawValue)
            .set(\.$sandboxID, to: session.sandboxID).set(\.$readyAt, to: session.readyAt)
            .set(\.$expiresAt, to: session.expiresAt)
            .update()
        // The sandbox id is this provisioning's own: finding it with `ready` means our write won.
        // (An end that comes after it is an ordinary end of a ready session.)
        guard let stored = try await SessionModel.find(session.id, on: database) else { return false }
        return stored.sandboxID == session.sandboxID && stored.state != SessionState.provisioning.rawValue
            && stored.readyAt != nil
    }

    public func sessions(userID: UUID) async throws -> [SessionRecord] {
        try await SessionModel.query(on: db.database())
            .filter(\.$userID == userID)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .all().map { try $0.record() }
    }

    /// Newest first.
    public func sessions(states: [SessionState]) async throws -> [SessionRecord] {
        guard !states.isEmpty else { return [] }
        return try await SessionModel.query(on: db.database())
            .filter(\.$state ~~ states.map(\.rawValue))
            .sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .all().map { try $0.record() }
    }

    /// Claims the oldest queued start job and moves its session `queued → provisioning`, in one
    /// transaction. A job whose session is no longer queued (cancelled while waiting) is marked
    /// done and the next one is tried.
    public func claimNextStart(worker: String) async throws -> SessionRecord? {
        while true {
            switch try await claimOnce(worker: worker) {
            case .empty: return nil
            case .claimed(let session): return session
            case .skipped: continue
            }
        }
    }

    private enum Claim: Sendable {
        case empty, skipped
        case claimed(SessionRecord)
    }

    private func claimOnce(worker: String) async throws -> Claim {
        let backend = db.backend
        return try await db.database().transaction { tx in
            let sql = try tx.sql()
            let now = Date()
            guard
                let (jobID, sessionID) = try await JobModel.claimNext(
                    kind: JobModel.Kind.startSession, worker: worker, sql: sql, backend: backend, now: now)
            else { return .empty }

            let moved = try await sql.raw(
                """
                UPDATE sessions SET state = 'provisioning', provisioning_at = \(bind: now)
                WHERE id = \(bind: sessionID) AND state = 'queued' RETURNING id
                """
            ).first()
            guard moved != nil else {
                try await sql.raw(
                    """
                    UPDATE jobs SET state = 'done', finished_at = \(bind: now),
                    error = 'The session was no longer queued when a worker claimed it.'
                    WHERE id = \(bind: jobID)
                    """
                ).run()
                return .skipped
            }
            guard let session = try await SessionModel.find(sessionID, on: tx) else { return .skipped }
            return .claimed(try session.record())
        }
    }

    /// Marks the start job of a session finished (`done`) or `failed` with a reason. Workers call it
    /// after provisioning, so the queue table shows what happened.
    public func finishStartJob(sessionID: String, error: String? = nil) async throws {
        try await JobModel.query(on: db.database())
            .filter(\.$subject == sessionID)
            .filter(\.$kind == JobModel.Kind.startSession)
            .filter(\.$state == JobModel.State.running.rawValue)
            .set(\.$state, to: (error == nil ? JobModel.State.done : .failed).rawValue)
            .set(\.$finishedAt, to: Date())
            .set(\.$error, to: error)
            .update()
    }

    /// 1-based rank among queued start jobs whose session is still queued, oldest first. Reads the
    /// ids of the (short) queue rather than counting in SQL, so ties on `created_at` are broken the
    /// same way as the claim does (by job id).
    public func queuePosition(sessionID: String) async throws -> Int? {
        let rows = try await db.database().sql().raw(
            """
            SELECT j.subject FROM jobs j JOIN sessions s ON s.id = j.subject
            WHERE j.state = 'queued' AND j.kind = \(bind: JobModel.Kind.startSession) AND s.state = 'queued'
            ORDER BY j.created_at, j.id
            """
        ).all()
        for (offset, row) in rows.enumerated() where try row.decode(column: "subject", as: String.self) == sessionID {
            return offset + 1
        }
        return nil
    }

    public func addAttempt(_ attempt: AttemptRecord) async throws {
        try await AttemptModel(attempt).create(on: db.database())
    }

    /// Oldest first.
    public func attempts(sessionID: String) async throws -> [AttemptRecord] {
        try await AttemptModel.query(on: db.database())
            .filter(\.$sessionID == sessionID)
            .sort(\.$at).sort(\.$id)
            .all().map { try $0.record() }
    }

    /// Revealing a clue that is already revealed keeps the first reveal.
    public func addClueReveal(_ reveal: ClueRevealRecord) async throws {
        let database = try db.database()
        do {
            try await ClueRevealModel(reveal).create(on: database)
        } catch where error.isConstraintFailure {
            let existing = try await ClueRevealModel.query(on: database)
                .filter(\.$sessionID == reveal.sessionID).filter(\.$index == reveal.index).first()
            if existing == nil { throw error }  // not the duplicate: e.g. the session does not exist
        }
    }

    /// By clue index.
    public func clueReveals(sessionID: String) async throws -> [ClueRevealRecord] {
        try await ClueRevealModel.query(on: db.database())
            .filter(\.$sessionID == sessionID)
            .sort(\.$index)
            .all().map(\.record)
    }

    public func leaderboard(scenario: String, limit: Int) async throws -> [LeaderboardRow] {
        Leaderboard.scenario(try await solves(scenario: scenario), limit: limit)
    }

    public func leaderboard(limit: Int) async throws -> [LeaderboardRow] {
        Leaderboard.overall(try await solves(scenario: nil), limit: limit)
    }

    /// Every solved session of a registered user, with the clues revealed in it.
    private func solves(scenario: String?) async throws -> [Leaderboard.Solve] {
        let filter: SQLQueryString = scenario.map { "AND s.scenario = \(bind: $0)" } ?? ""
        let rows = try await db.database().sql().raw(
            """
            SELECT s.user_id, u.username, s.scenario, s.ready_at, s.solved_at,
                   (SELECT COUNT(*) FROM clue_reveals c WHERE c.session_id = s.id) AS clues
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE u.username IS NOT NULL AND s.solved_at IS NOT NULL AND s.ready_at IS NOT NULL \(filter)
            """
        ).all()
        return try rows.map { row in
            let readyAt = try row.decode(column: "ready_at", as: Date.self)
            let solvedAt = try row.decode(column: "solved_at", as: Date.self)
            return Leaderboard.Solve(
                userID: try row.decode(column: "user_id", as: UUID.self),
                username: try row.decode(column: "username", as: String.self),
                scenario: try row.decode(column: "scenario", as: String.self),
                // The same rounding as SessionRecord.solveSeconds.
                seconds: max(0, Int(solvedAt.timeIntervalSince(readyAt).rounded())),
                clues: try row.decode(column: "clues", as: Int.self),
                solvedAt: solvedAt)
        }
    }

    public func ping() async throws {
        try await db.database().sql().raw("SELECT 1").run()
    }
}
