import BreakfixCore
import FluentKit
import Foundation
import SQLKit

/// A row of `submissions`; the per-test results are one JSON column (written as a whole, read as
/// a whole, never queried inside).
final class SubmissionModel: Model, @unchecked Sendable {
    static let schema = "submissions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "challenge") var challenge: String
    @Field(key: "language") var language: String
    @Field(key: "source") var source: String
    @Field(key: "state") var state: String
    @OptionalField(key: "verdict") var verdict: String?
    @OptionalField(key: "failed_test") var failedTest: Int?
    @OptionalField(key: "compile_output") var compileOutput: String?
    @Field(key: "tests") var tests: String
    @Field(key: "test_count") var testCount: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "internal_error") var internalError: String?
    @OptionalField(key: "contest_id") var contestID: String?

    init() {}

    init(_ record: SubmissionRecord) {
        id = record.id
        apply(record)
    }

    func apply(_ r: SubmissionRecord) {
        userID = r.userID
        challenge = r.challenge
        language = r.language
        source = r.source
        state = r.state.rawValue
        verdict = r.verdict?.rawValue
        failedTest = r.failedTest
        compileOutput = r.compileOutput
        tests = Self.encode(r.tests)
        testCount = r.testCount
        createdAt = r.createdAt
        startedAt = r.startedAt
        finishedAt = r.finishedAt
        internalError = r.internalError
        contestID = r.contestID
    }

    static func encode(_ tests: [TestResult]) -> String {
        String(decoding: (try? JSONEncoder().encode(tests)) ?? Data("[]".utf8), as: UTF8.self)
    }

    func record() throws -> SubmissionRecord {
        let id = try requireID()
        guard let state = SubmissionState(rawValue: state) else {
            throw PersistenceError.corruptRow("submission \(id) has unknown state '\(self.state)'")
        }
        let verdict = try self.verdict.map { raw in
            guard let v = Verdict(rawValue: raw) else {
                throw PersistenceError.corruptRow("submission \(id) has unknown verdict '\(raw)'")
            }
            return v
        }
        let tests = (try? JSONDecoder().decode([TestResult].self, from: Data(self.tests.utf8))) ?? []
        return SubmissionRecord(
            id: id, userID: userID, challenge: challenge, language: language, source: source, state: state,
            verdict: verdict, failedTest: failedTest, compileOutput: compileOutput, tests: tests, testCount: testCount,
            createdAt: createdAt, startedAt: startedAt, finishedAt: finishedAt, internalError: internalError,
            contestID: contestID)
    }
}

/// Submissions and their judge jobs in the Breakfix database.
public struct FluentSubmissionStore: SubmissionStore {
    let db: BreakfixDatabase

    public init(database: BreakfixDatabase) {
        self.db = database
    }

    public func enqueue(_ submission: SubmissionRecord, maxQueued: Int) async throws -> Bool {
        var queued = submission
        queued.state = .queued
        let record = queued
        let backend = db.backend
        return try await db.database().transaction { tx in
            let sql = try tx.sql()
            if backend == .postgres {
                // Serialises one user's submissions so two at once cannot both pass the cap.
                try await sql.raw("SELECT id FROM users WHERE id = \(bind: record.userID) FOR UPDATE").run()
            } else {
                // SQLite: start with a (no-op) write, which takes the write lock at once, waiting on
                // busy_timeout; reading first fails with SQLITE_BUSY when the read must become a write
                // while another submission is being written.
                try await sql.raw("UPDATE users SET is_admin = is_admin WHERE id = \(bind: record.userID)").run()
            }
            let waiting = try await SubmissionModel.query(on: tx)
                .filter(\.$userID == record.userID).filter(\.$state != SubmissionState.done.rawValue).count()
            guard waiting < maxQueued else { return false }
            try await SubmissionModel(record).create(on: tx)
            try await JobModel(kind: JobModel.Kind.judgeSubmission, subject: record.id, createdAt: record.createdAt)
                .create(on: tx)
            return true
        }
    }

    public func claimNextSubmission(worker: String) async throws -> SubmissionRecord? {
        let backend = db.backend
        return try await db.database().transaction { tx in
            let sql = try tx.sql()
            let now = Date()
            guard
                let (jobID, id) = try await JobModel.claimNext(
                    kind: JobModel.Kind.judgeSubmission, worker: worker, sql: sql, backend: backend, now: now)
            else { return nil }
            guard let model = try await SubmissionModel.find(id, on: tx) else {
                try await sql.raw(
                    """
                    UPDATE jobs SET state = 'failed', finished_at = \(bind: now), error = 'The submission is gone.'
                    WHERE id = \(bind: jobID)
                    """
                ).run()
                return nil
            }
            model.state = SubmissionState.compiling.rawValue
            model.startedAt = now
            try await model.update(on: tx)
            return try model.record()
        }
    }

    public func saveProgress(_ submission: SubmissionRecord) async throws {
        try await SubmissionModel.query(on: db.database())
            .filter(\.$id == submission.id).filter(\.$state != SubmissionState.done.rawValue)
            .set(\.$state, to: submission.state.rawValue)
            .set(\.$tests, to: SubmissionModel.encode(submission.tests))
            .set(\.$compileOutput, to: submission.compileOutput)
            .update()
    }

    public func finish(_ submission: SubmissionRecord) async throws {
        let id = submission.id
        let failed = submission.verdict == .IE
        try await db.database().transaction { tx in
            // The write first: on SQLite it takes the write lock at once (a read first fails with
            // SQLITE_BUSY when another worker writes meanwhile, and the verdict would be lost).
            try await JobModel.query(on: tx)
                .filter(\.$subject == id).filter(\.$kind == JobModel.Kind.judgeSubmission)
                .filter(\.$state == JobModel.State.running.rawValue)
                .set(\.$state, to: (failed ? JobModel.State.failed : .done).rawValue)
                .set(\.$finishedAt, to: Date())
                .set(\.$error, to: submission.internalError)
                .update()
            guard let model = try await SubmissionModel.find(id, on: tx) else { return }
            model.apply(submission)
            try await model.update(on: tx)
        }
    }

    public func submission(id: String) async throws -> SubmissionRecord? {
        try await SubmissionModel.find(id, on: db.database())?.record()
    }

    public func submissions(userID: UUID, challenge: String?, limit: Int) async throws -> [SubmissionRecord] {
        var query = SubmissionModel.query(on: try db.database()).filter(\.$userID == userID)
        if let challenge { query = query.filter(\.$challenge == challenge) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(limit).all()
            .map { try $0.record() }
    }

    public func submissions(challenges: [String], from: Date, to: Date) async throws -> [SubmissionRecord] {
        guard !challenges.isEmpty else { return [] }
        return try await SubmissionModel.query(on: db.database())
            .filter(\.$challenge ~~ challenges).filter(\.$createdAt >= from).filter(\.$createdAt <= to)
            .sort(\.$createdAt).sort(\.$id).all().map { try $0.record() }
    }

    public func challengeLeaderboard(challenge: String, limit: Int) async throws -> [ChallengeBoardRow] {
        let database = try db.database()
        let rows = try await SubmissionModel.query(on: database)
            .filter(\.$challenge == challenge).filter(\.$state == SubmissionState.done.rawValue)
            .sort(\.$createdAt).sort(\.$id).all()
        let users = try await UserModel.query(on: database).filter(\.$id ~~ Set(rows.map(\.userID))).all()
        let names = Dictionary(users.compactMap { u in u.username.map { (u.id!, $0) } }, uniquingKeysWith: { a, _ in a })
        struct Progress {
            var first: Date
            var attempts = 0
            var solved: (Date, String)?
        }
        var progress: [UUID: Progress] = [:]
        for row in rows {
            guard names[row.userID] != nil, row.verdict != Verdict.IE.rawValue else { continue }
            var p = progress[row.userID] ?? Progress(first: row.createdAt)
            guard p.solved == nil else { continue }
            p.attempts += 1
            if row.verdict == Verdict.AC.rawValue { p.solved = (row.createdAt, row.language) }
            progress[row.userID] = p
        }
        let solved = progress.compactMap { user, p -> (String, Int, Int, Date, String)? in
            guard let (at, language) = p.solved, let name = names[user] else { return nil }
            return (name, Int(at.timeIntervalSince(p.first).rounded()), p.attempts, at, language)
        }.sorted { a, b in
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            if a.3 != b.3 { return a.3 < b.3 }
            return a.0 < b.0
        }
        return solved.prefix(limit).enumerated().map { offset, s in
            ChallengeBoardRow(rank: offset + 1, username: s.0, solveSeconds: s.1, attempts: s.2, solvedAt: s.3, language: s.4)
        }
    }

    public func requeueStale(olderThan: TimeInterval, now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-olderThan)
        return try await requeue { sql in
            try await sql.raw(
                """
                UPDATE jobs SET state = 'queued', worker = NULL
                WHERE kind = \(bind: JobModel.Kind.judgeSubmission) AND state = 'running' AND claimed_at < \(bind: cutoff)
                RETURNING subject
                """
            ).all()
        }
    }

    /// Runs `select` (an UPDATE … RETURNING subject that puts jobs back in the queue; a write
    /// first, so SQLite takes its write lock at once) and resets those submissions, in one transaction.
    private func requeue(_ select: @escaping @Sendable (any SQLDatabase) async throws -> [SQLRow]) async throws -> Int {
        try await db.database().transaction { tx in
            let sql = try tx.sql()
            let rows = try await select(sql)
            for row in rows {
                let subject = try row.decode(column: "subject", as: String.self)
                try await sql.raw(
                    """
                    UPDATE submissions SET state = \(bind: SubmissionState.queued.rawValue), tests = '[]'
                    WHERE id = \(bind: subject) AND state <> \(bind: SubmissionState.done.rawValue)
                    """
                ).run()
            }
            return rows.count
        }
    }

    public func queueLength() async throws -> Int {
        try await JobModel.query(on: db.database())
            .filter(\.$kind == JobModel.Kind.judgeSubmission).filter(\.$state == JobModel.State.queued.rawValue).count()
    }

    public func runningWorkers() async throws -> [String] {
        Array(
            Set(
                try await JobModel.query(on: db.database())
                    .filter(\.$kind == JobModel.Kind.judgeSubmission).filter(\.$state == JobModel.State.running.rawValue)
                    .all().compactMap(\.worker)))
    }

    public func requeue(workers: [String]) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        return try await requeue { sql in
            var rows: [SQLRow] = []
            for worker in workers {
                rows += try await sql.raw(
                    """
                    UPDATE jobs SET state = 'queued', worker = NULL
                    WHERE kind = \(bind: JobModel.Kind.judgeSubmission) AND state = 'running' AND worker = \(bind: worker)
                    RETURNING subject
                    """
                ).all()
            }
            return rows
        }
    }
}
