import BreakfixCore
import FluentKit
import Foundation
import Testing

@testable import Persistence

extension PersistenceTests {
    @Suite struct Sessions {
        /// Enqueues sessions created one second apart (oldest first) and returns their ids.
        func enqueue(
            _ db: BreakfixDatabase, count: Int, user: UUID, start: Date = Date().addingTimeInterval(-100)
        ) async throws -> [String] {
            var ids: [String] = []
            for n in 0..<count {
                let session = SessionRecord(
                    id: newSessionID(), userID: user, scenario: "nginx", timeLimitSeconds: 900,
                    createdAt: start.addingTimeInterval(Double(n)))
                try await db.sessionStore.enqueue(session)
                ids.append(session.id)
            }
            return ids
        }

        func jobs(_ db: BreakfixDatabase) async throws -> [String: JobModel] {
            let all = try await JobModel.query(on: db.database()).all()
            return Dictionary(uniqueKeysWithValues: all.map { ($0.subject, $0) })
        }

        @Test(arguments: TestBackend.all)
        func enqueueStoresTheSessionAndItsJob(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let user = try await makeUser(db)
                let record = SessionRecord(
                    id: newSessionID(), userID: user, scenario: "nginx", state: .ready, phase: .booting,
                    timeLimitSeconds: 600)
                try await db.sessionStore.enqueue(record)
                let stored = try #require(try await db.sessionStore.session(id: record.id))
                #expect(stored.state == .queued)
                #expect(stored.phase == nil)
                let job = try #require(try await jobs(db)[record.id])
                #expect(job.kind == "start_session")
                #expect(job.state == "queued")
                #expect(job.attempts == 0)
                #expect(try await db.sessionStore.session(id: "missing") == nil)

                // A session that cannot be inserted leaves no job behind (one transaction).
                await #expect(throws: (any Error).self) {
                    try await db.sessionStore.enqueue(record)
                }
                #expect(try await jobs(db).count == 1)
            }
        }

        @Test(arguments: TestBackend.all)
        func concurrentWorkersClaimEachSessionExactlyOnce(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let user = try await makeUser(db)
                let ids = try await enqueue(db, count: 5, user: user)
                let store = db.sessionStore
                let claims = try await withThrowingTaskGroup(of: [(String, SessionRecord)].self) { group in
                    for worker in ["worker-a", "worker-b"] {
                        group.addTask {
                            var mine: [(String, SessionRecord)] = []
                            while let session = try await store.claimNextStart(worker: worker) {
                                mine.append((worker, session))
                            }
                            return mine
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(claims.count == 5)
                #expect(Set(claims.map(\.1.id)) == Set(ids))
                for (_, session) in claims {
                    #expect(session.state == .provisioning)
                    #expect(session.provisioningAt != nil)
                }
                let jobs = try await jobs(db)
                for (worker, session) in claims {
                    #expect(jobs[session.id]?.state == "running")
                    #expect(jobs[session.id]?.worker == worker)
                    #expect(jobs[session.id]?.attempts == 1)
                    #expect(jobs[session.id]?.claimedAt != nil)
                }
                #expect(try await store.claimNextStart(worker: "worker-c") == nil)
            }
        }

        /// Two processes (two pools of connections) on one database: on SQLite the second writer
        /// waits for the lock (busy_timeout) instead of failing with SQLITE_BUSY.
        @Test(arguments: TestBackend.all)
        func workersOfTwoProcessesShareTheQueue(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let second = try await BreakfixDatabase.open(
                    url: backend.url, dataDirectory: URL(fileURLWithPath: db.location).deletingLastPathComponent(),
                    logger: db.logger)
                do {
                    let user = try await makeUser(db)
                    let ids = try await enqueue(db, count: 12, user: user)
                    let stores = [db.sessionStore, second.sessionStore, db.sessionStore, second.sessionStore]
                    let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                        for (n, store) in stores.enumerated() {
                            group.addTask {
                                var mine: [String] = []
                                while let session = try await store.claimNextStart(worker: "w\(n)") {
                                    mine.append(session.id)
                                }
                                return mine
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                    #expect(claimed.sorted() == ids.sorted())
                } catch {
                    await second.shutdown()
                    throw error
                }
                await second.shutdown()
            }
        }

        @Test(arguments: TestBackend.all)
        func claimsTakeTheOldestFirstAndSkipCancelledSessions(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db)
                let ids = try await enqueue(db, count: 3, user: user)
                var cancelled = try #require(try await store.session(id: ids[1]))
                cancelled.state = .abandoned
                cancelled.endedAt = Date()
                try await store.update(cancelled)

                #expect(try await store.claimNextStart(worker: "w")?.id == ids[0])
                #expect(try await store.claimNextStart(worker: "w")?.id == ids[2])
                #expect(try await store.claimNextStart(worker: "w") == nil)
                #expect(try await store.session(id: ids[1])?.state == .abandoned)
                let job = try #require(try await jobs(db)[ids[1]])
                #expect(job.state == "done")
                #expect(job.finishedAt != nil)

                try await store.finishStartJob(sessionID: ids[0])
                try await store.finishStartJob(sessionID: ids[2], error: "start.sh failed")
                let finished = try await jobs(db)
                #expect(finished[ids[0]]?.state == "done")
                #expect(finished[ids[2]]?.state == "failed")
                #expect(finished[ids[2]]?.error == "start.sh failed")
            }
        }

        @Test(arguments: TestBackend.all)
        func queuePositionsFollowCreationOrder(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db)
                let ids = try await enqueue(db, count: 4, user: user)
                #expect(try await ids.asyncMap { try await store.queuePosition(sessionID: $0) } == [1, 2, 3, 4])

                _ = try await store.claimNextStart(worker: "w")
                var cancelled = try #require(try await store.session(id: ids[2]))
                cancelled.state = .abandoned
                try await store.update(cancelled)
                #expect(try await ids.asyncMap { try await store.queuePosition(sessionID: $0) } == [nil, 1, nil, 2])
                #expect(try await store.queuePosition(sessionID: "missing") == nil)
            }
        }

        @Test(arguments: TestBackend.all)
        func everySessionFieldRoundTrips(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db, "frank")
                let created = Date(timeIntervalSince1970: 1_750_000_000.123456)
                var session = SessionRecord(
                    id: newSessionID(), userID: user, scenario: "disk-full", timeLimitSeconds: 1200, createdAt: created)
                try await store.enqueue(session)
                #expect(sameSession(try await store.session(id: session.id), session))

                session.state = .solved
                session.phase = .preparing
                session.sandboxID = "c0ffee"
                session.reason = "The check said OK."
                session.timeLimitSeconds = 1500
                session.provisioningAt = created.addingTimeInterval(1.5)
                session.readyAt = created.addingTimeInterval(12.25)
                session.expiresAt = created.addingTimeInterval(1512.25)
                session.solvedAt = created.addingTimeInterval(300.75)
                session.endedAt = created.addingTimeInterval(400)
                session.destroyedAt = created.addingTimeInterval(401)
                try await store.update(session)
                let stored = try #require(try await store.session(id: session.id))
                #expect(sameSession(stored, session), "\(stored) != \(session)")

                // Clearing fields is persisted too.
                session.phase = nil
                session.sandboxID = nil
                session.reason = nil
                session.destroyedAt = nil
                try await store.update(session)
                #expect(sameSession(try await store.session(id: session.id), session))

                var unknown = session
                unknown.id = "missing"
                await #expect(throws: PersistenceError.sessionNotFound("missing")) {
                    try await store.update(unknown)
                }
            }
        }

        /// The worker's writes while a sandbox is made are conditional: the user's end, written in
        /// between, is never undone by a late phase or by the move to ready.
        @Test(arguments: TestBackend.all)
        func phaseAndReadyWritesNeverUndoAnEnd(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db)
                _ = try await enqueue(db, count: 2, user: user)
                let a = try #require(try await store.claimNextStart(worker: "w"))
                let b = try #require(try await store.claimNextStart(worker: "w"))
                func ready(_ s: SessionRecord, sandbox: String) -> SessionRecord {
                    var r = s
                    r.state = .ready
                    r.phase = .ready
                    r.sandboxID = sandbox
                    r.readyAt = Date()
                    r.expiresAt = Date().addingTimeInterval(600)
                    return r
                }

                // The ordinary path.
                try await store.recordPhase(sessionID: a.id, .booting)
                #expect(try await store.session(id: a.id)?.phase == .booting)
                #expect(try await store.markReady(ready(a, sandbox: "sandbox-a")))
                let storedA = try #require(try await store.session(id: a.id))
                #expect(storedA.state == .ready && storedA.phase == .ready && storedA.sandboxID == "sandbox-a")
                #expect(storedA.readyAt != nil && storedA.expiresAt != nil)
                // Ready is not written twice, and a late phase does not touch a ready session.
                #expect(try await store.markReady(ready(a, sandbox: "sandbox-other")) == false)
                try await store.recordPhase(sessionID: a.id, .preparing)
                #expect(try await store.session(id: a.id)?.phase == .ready)

                // The user ends b while its sandbox is being made.
                var ended = b
                ended.state = .abandoned
                ended.endedAt = Date()
                ended.reason = "Ended by the user."
                try await store.update(ended)
                try await store.recordPhase(sessionID: b.id, .preparing)
                #expect(try await store.markReady(ready(b, sandbox: "sandbox-b")) == false)
                let storedB = try #require(try await store.session(id: b.id))
                #expect(storedB.state == .abandoned, "the end stays")
                #expect(storedB.sandboxID == nil && storedB.readyAt == nil && storedB.expiresAt == nil)
                #expect(storedB.phase == b.phase)
            }
        }

        @Test(arguments: TestBackend.all)
        func sessionsByUserAndStateNewestFirst(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db)
                let other = try await makeUser(db)
                let ids = try await enqueue(db, count: 3, user: user)
                let otherIDs = try await enqueue(db, count: 1, user: other, start: Date())
                var ready = try #require(try await store.session(id: ids[0]))
                ready.state = .ready
                try await store.update(ready)

                #expect(try await store.sessions(userID: user).map(\.id) == ids.reversed())
                #expect(try await store.sessions(userID: UUID()).isEmpty)
                #expect(try await store.sessions(states: [.ready]).map(\.id) == [ids[0]])
                #expect(
                    try await store.sessions(states: [.queued, .ready]).map(\.id)
                        == [otherIDs[0], ids[2], ids[1], ids[0]])
                #expect(try await store.sessions(states: []).isEmpty)
            }
        }

        @Test(arguments: TestBackend.all)
        func attemptsAndClueRevealsComeBackInOrder(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.sessionStore
                let user = try await makeUser(db)
                let id = try await enqueue(db, count: 1, user: user)[0]
                let t = Date()
                let attempts = [
                    AttemptRecord(sessionID: id, at: t.addingTimeInterval(2), verdict: "OK", message: nil),
                    AttemptRecord(sessionID: id, at: t, verdict: "NO", message: "nginx is not running"),
                    AttemptRecord(sessionID: id, at: t.addingTimeInterval(1), verdict: "ERROR", message: "timed out"),
                ]
                for attempt in attempts { try await store.addAttempt(attempt) }
                let stored = try await store.attempts(sessionID: id)
                #expect(stored.map(\.id) == [attempts[1].id, attempts[2].id, attempts[0].id])
                #expect(stored.map(\.verdict) == ["NO", "ERROR", "OK"])
                #expect(stored.map(\.message) == ["nginx is not running", "timed out", nil])
                #expect(zip(stored, [attempts[1], attempts[2], attempts[0]]).allSatisfy { sameInstant($0.at, $1.at) })
                #expect(stored.allSatisfy { $0.sessionID == id })

                try await store.addClueReveal(ClueRevealRecord(sessionID: id, index: 2, at: t.addingTimeInterval(5)))
                try await store.addClueReveal(ClueRevealRecord(sessionID: id, index: 0, at: t))
                try await store.addClueReveal(ClueRevealRecord(sessionID: id, index: 1, at: t.addingTimeInterval(3)))
                // Revealing a clue again keeps the first reveal.
                try await store.addClueReveal(ClueRevealRecord(sessionID: id, index: 0, at: t.addingTimeInterval(9)))
                let reveals = try await store.clueReveals(sessionID: id)
                #expect(reveals.map(\.index) == [0, 1, 2])
                #expect(sameInstant(reveals[0].at, t))
                #expect(try await store.clueReveals(sessionID: "other").isEmpty)
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
