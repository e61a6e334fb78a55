import FluentKit
import Foundation
import SQLKit

/// A row of `jobs`: the database job queue (no broker). `kind` says what to do (`start_session`),
/// `subject` to what (a session id). Workers claim queued jobs atomically; the status columns let
/// an operator inspect and retry work by hand.
final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"

    enum State: String, Sendable {
        case queued, running, done, failed
    }

    enum Kind {
        static let startSession = "start_session"
        static let judgeSubmission = "judge_submission"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "subject") var subject: String
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "worker") var worker: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "error") var error: String?

    init() {}

    init(id: UUID = UUID(), kind: String, subject: String, createdAt: Date = Date()) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.state = State.queued.rawValue
        self.attempts = 0
        self.createdAt = createdAt
    }
}

extension JobModel {
    /// Claims the oldest queued job of `kind` for `worker` inside the caller's transaction: row
    /// locks with SKIP LOCKED on PostgreSQL (concurrent workers in any process each get a
    /// different job and never wait on each other); on SQLite one `UPDATE … RETURNING`, so the
    /// transaction starts with the write and takes SQLite's single write lock at once instead of
    /// failing with SQLITE_BUSY when a read snapshot must be upgraded. Returns the job's id and
    /// subject, or nil when nothing of that kind is queued.
    static func claimNext(kind: String, worker: String, sql: any SQLDatabase, backend: BreakfixDatabase.Backend, now: Date)
        async throws -> (id: UUID, subject: String)?
    {
        let job: SQLRow?
        switch backend {
        case .postgres:
            job = try await sql.raw(
                """
                SELECT id, subject FROM jobs
                WHERE state = 'queued' AND kind = \(bind: kind)
                ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
                """
            ).first()
            if let job {
                try await sql.raw(
                    """
                    UPDATE jobs SET state = 'running', worker = \(bind: worker), claimed_at = \(bind: now),
                    attempts = attempts + 1 WHERE id = \(bind: try job.decode(column: "id", as: UUID.self))
                    """
                ).run()
            }
        case .sqlite:
            job = try await sql.raw(
                """
                UPDATE jobs SET state = 'running', worker = \(bind: worker), claimed_at = \(bind: now),
                attempts = attempts + 1
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind = \(bind: kind)
                            ORDER BY created_at, id LIMIT 1)
                RETURNING id, subject
                """
            ).first()
        }
        guard let job else { return nil }
        return (try job.decode(column: "id", as: UUID.self), try job.decode(column: "subject", as: String.self))
    }
}
