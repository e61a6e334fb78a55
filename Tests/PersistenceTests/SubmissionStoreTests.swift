import BreakfixCore
import FluentKit
import Foundation
import Testing

@testable import Persistence

/// A submission of `user` made at `at`.
func newSubmission(
    user: UUID, challenge: String = "sum", language: String = "c", at: Date = Date(), contestID: String? = nil
) -> SubmissionRecord {
    SubmissionRecord(
        userID: user, challenge: challenge, language: language, source: "int main(void) { return 0; }\n", testCount: 3,
        createdAt: at, contestID: contestID)
}

/// Stores a submission already judged: queued, then finished with this verdict.
@discardableResult
func judgedSubmission(
    _ db: BreakfixDatabase, user: UUID, challenge: String = "sum", verdict: Verdict, at: Date, language: String = "c",
    contestID: String? = nil
) async throws -> SubmissionRecord {
    let store = FluentSubmissionStore(database: db)
    var record = newSubmission(user: user, challenge: challenge, language: language, at: at, contestID: contestID)
    #expect(try await store.enqueue(record, maxQueued: 1000))
    record.state = .done
    record.verdict = verdict
    record.finishedAt = at.addingTimeInterval(1)
    try await store.finish(record)
    return record
}

func judgeJobs(_ db: BreakfixDatabase) async throws -> [String: JobModel] {
    let all = try await JobModel.query(on: db.database()).filter(\.$kind == "judge_submission").all()
    return Dictionary(uniqueKeysWithValues: all.map { ($0.subject, $0) })
}

extension PersistenceTests {
    @Suite struct Submissions {
        @Test(arguments: TestBackend.all)
        func enqueueStoresTheSubmissionAndItsJob(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                var record = newSubmission(user: user, at: Date(timeIntervalSince1970: 1_760_000_000), contestID: "cup")
                record.state = .running
                record.verdict = .AC
                #expect(try await store.enqueue(record, maxQueued: 3))
                let stored = try #require(try await store.submission(id: record.id))
                #expect(stored.state == .queued, "whatever the record says, it is queued")
                #expect(stored.userID == user && stored.challenge == "sum" && stored.language == "c")
                #expect(stored.source == record.source)
                #expect(stored.testCount == 3)
                #expect(stored.contestID == "cup")
                #expect(sameInstant(stored.createdAt, record.createdAt))
                #expect(stored.tests.isEmpty && stored.startedAt == nil && stored.finishedAt == nil)
                let job = try #require(try await judgeJobs(db)[record.id])
                #expect(job.state == "queued")
                #expect(job.attempts == 0)
                #expect(try await store.queueLength() == 1)
                #expect(try await store.submission(id: "missing") == nil)
            }
        }

        @Test(arguments: TestBackend.all)
        func enqueueRespectsThePerUserCap(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let first = newSubmission(user: alice)
                #expect(try await store.enqueue(first, maxQueued: 2))
                #expect(try await store.enqueue(newSubmission(user: alice), maxQueued: 2))
                let refused = newSubmission(user: alice)
                #expect(try await store.enqueue(refused, maxQueued: 2) == false)
                #expect(try await store.submission(id: refused.id) == nil, "a refused submission is not stored")
                #expect(try await judgeJobs(db)[refused.id] == nil, "nor its job")
                // Another user has their own cap.
                #expect(try await store.enqueue(newSubmission(user: bob), maxQueued: 2))

                // Being judged still counts; done frees a slot.
                var claimed = try #require(try await store.claimNextSubmission(worker: "w"))
                #expect(claimed.id == first.id)
                #expect(try await store.enqueue(newSubmission(user: alice), maxQueued: 2) == false)
                claimed.state = .done
                claimed.verdict = .WA
                try await store.finish(claimed)
                #expect(try await store.enqueue(newSubmission(user: alice), maxQueued: 2))
                #expect(try await store.enqueue(newSubmission(user: alice), maxQueued: 2) == false)
                #expect(try await store.submissions(userID: alice, challenge: nil, limit: 10).count == 3)
            }
        }

        /// Many submissions of one user at once: the cap holds (no more than `maxQueued` stored)
        /// and none of them fails with a database error.
        @Test(arguments: TestBackend.all)
        func concurrentEnqueuesCannotPassTheCap(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<6 {
                        group.addTask { try await store.enqueue(newSubmission(user: user), maxQueued: 3) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 3)
                #expect(try await store.submissions(userID: user, challenge: nil, limit: 10).count == 3)
                #expect(try await store.queueLength() == 3)
            }
        }

        @Test(arguments: TestBackend.all)
        func claimsFollowCreationOrderAndOnlyJudgeJobs(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                let t0 = Date().addingTimeInterval(-100)
                // Enqueued out of order; created at t0+2, t0, t0+1.
                let records = [2.0, 0, 1].map { newSubmission(user: user, at: t0.addingTimeInterval($0)) }
                for record in records { #expect(try await store.enqueue(record, maxQueued: 10)) }
                // A session's start job in the same table is not a judge job.
                let session = SessionRecord(id: newSessionID(), userID: user, scenario: "nginx", timeLimitSeconds: 900, createdAt: t0 - 50)
                try await db.sessionStore.enqueue(session)

                var claimed: [SubmissionRecord] = []
                while let next = try await store.claimNextSubmission(worker: "judge-1") { claimed.append(next) }
                #expect(claimed.map(\.id) == [records[1].id, records[2].id, records[0].id])
                for record in claimed {
                    #expect(record.state == .compiling)
                    #expect(record.startedAt != nil)
                    #expect(try await store.submission(id: record.id)?.state == .compiling)
                }
                let jobs = try await judgeJobs(db)
                for record in claimed {
                    #expect(jobs[record.id]?.state == "running")
                    #expect(jobs[record.id]?.worker == "judge-1")
                    #expect(jobs[record.id]?.attempts == 1)
                    #expect(jobs[record.id]?.claimedAt != nil)
                }
                #expect(try await store.queueLength() == 0)
                #expect(try await db.sessionStore.session(id: session.id)?.state == .queued, "the session was not touched")
                #expect(try await db.sessionStore.claimNextStart(worker: "w")?.id == session.id)
            }
        }

        @Test(arguments: TestBackend.all)
        func concurrentWorkersClaimEachSubmissionExactlyOnce(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                var ids: [String] = []
                for n in 0..<5 {
                    let user = try await makeUser(db, "user\(n)")
                    let record = newSubmission(user: user, at: Date().addingTimeInterval(Double(n) - 100))
                    #expect(try await store.enqueue(record, maxQueued: 3))
                    ids.append(record.id)
                }
                let claims = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            var mine: [(String, String)] = []
                            while let record = try await store.claimNextSubmission(worker: "judge-\(worker)") {
                                mine.append(("judge-\(worker)", record.id))
                            }
                            return mine
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(claims.map(\.1).sorted() == ids.sorted(), "each claimed exactly once")
                let jobs = try await judgeJobs(db)
                for (worker, id) in claims {
                    #expect(jobs[id]?.worker == worker)
                    #expect(jobs[id]?.attempts == 1)
                }
                #expect(try await store.claimNextSubmission(worker: "late") == nil)
            }
        }

        @Test(arguments: TestBackend.all)
        func progressIsWrittenUntilTheSubmissionIsDone(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                #expect(try await store.enqueue(newSubmission(user: user), maxQueued: 3))
                var record = try #require(try await store.claimNextSubmission(worker: "w"))

                let test1 = TestResult(n: 1, verdict: .AC, cpuMs: 12, wallMs: 15, memoryKB: 2048)
                record.state = .running
                record.compileOutput = "main.c:1: warning: unused variable"
                record.tests = [test1]
                record.verdict = .WA  // not a progress field: not written
                try await store.saveProgress(record)
                let running = try #require(try await store.submission(id: record.id))
                #expect(running.state == .running)
                #expect(running.tests == [test1])
                #expect(running.compileOutput == "main.c:1: warning: unused variable")
                #expect(running.verdict == nil)

                var done = record
                done.state = .done
                done.verdict = .AC
                done.tests = [test1, TestResult(n: 2, verdict: .AC, cpuMs: 20, wallMs: 25, memoryKB: 4096)]
                done.finishedAt = Date()
                try await store.finish(done)

                // A late progress write (a slow publisher, a second worker) does not undo the verdict.
                var late = record
                late.state = .running
                late.tests = []
                late.compileOutput = nil
                try await store.saveProgress(late)
                let stored = try #require(try await store.submission(id: record.id))
                #expect(stored.state == .done)
                #expect(stored.verdict == .AC)
                #expect(stored.tests.map(\.n) == [1, 2])
                #expect(stored.compileOutput == "main.c:1: warning: unused variable")
            }
        }

        @Test(arguments: TestBackend.all)
        func finishWritesTheResultAndClosesTheJob(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                #expect(try await store.enqueue(newSubmission(user: user), maxQueued: 3))
                #expect(try await store.enqueue(newSubmission(user: user, at: Date().addingTimeInterval(1)), maxQueued: 3))
                var wrong = try #require(try await store.claimNextSubmission(worker: "w"))
                var broken = try #require(try await store.claimNextSubmission(worker: "w"))

                let tests = [
                    TestResult(n: 1, verdict: .AC, cpuMs: 3, wallMs: 4, memoryKB: 1000),
                    TestResult(n: 2, verdict: .RE, cpuMs: 5, wallMs: 6, memoryKB: 1100, detail: "SIGSEGV"),
                ]
                wrong.state = .done
                wrong.verdict = .RE
                wrong.failedTest = 2
                wrong.tests = tests
                wrong.compileOutput = "main.c:3: warning: implicit declaration"
                wrong.finishedAt = Date()
                try await store.finish(wrong)
                let stored = try #require(try await store.submission(id: wrong.id))
                #expect(stored.state == .done)
                #expect(stored.verdict == .RE)
                #expect(stored.failedTest == 2)
                #expect(stored.tests == tests)
                #expect(stored.compileOutput == "main.c:3: warning: implicit declaration")
                #expect(stored.internalError == nil)
                #expect(sameInstant(stored.finishedAt, wrong.finishedAt))
                #expect(sameInstant(stored.startedAt, wrong.startedAt))

                broken.state = .done
                broken.verdict = .IE
                broken.internalError = "docker: no space left on device"
                broken.finishedAt = Date()
                try await store.finish(broken)
                #expect(try await store.submission(id: broken.id)?.internalError == "docker: no space left on device")

                let jobs = try await judgeJobs(db)
                #expect(jobs[wrong.id]?.state == "done")
                #expect(jobs[wrong.id]?.finishedAt != nil)
                #expect(jobs[wrong.id]?.error == nil)
                #expect(jobs[broken.id]?.state == "failed")
                #expect(jobs[broken.id]?.error == "docker: no space left on device")
                #expect(try await store.runningWorkers().isEmpty)

                // Finishing a submission that does not exist is a no-op, not an error.
                var ghost = wrong
                ghost.id = "missing"
                try await store.finish(ghost)
                #expect(try await store.submission(id: "missing") == nil)
            }
        }

        /// Several workers reporting verdicts at the same moment (and users submitting meanwhile):
        /// every verdict is saved, none is lost to a locked database.
        @Test(arguments: TestBackend.all)
        func concurrentFinishesAllSaveTheirVerdicts(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                var claimed: [SubmissionRecord] = []
                for n in 0..<6 {
                    let user = try await makeUser(db, "user\(n)")
                    #expect(try await store.enqueue(newSubmission(user: user, at: Date().addingTimeInterval(Double(n) - 100)), maxQueued: 3))
                    claimed.append(try #require(try await store.claimNextSubmission(worker: "judge-\(n)")))
                }
                let late = try await makeUser(db, "late")
                let records = claimed
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for record in records {
                        group.addTask {
                            var done = record
                            done.state = .done
                            done.verdict = .AC
                            done.finishedAt = Date()
                            try await store.finish(done)
                        }
                        group.addTask { _ = try await store.enqueue(newSubmission(user: late), maxQueued: 100) }
                    }
                    try await group.waitForAll()
                }
                for record in records {
                    #expect(try await store.submission(id: record.id)?.verdict == .AC)
                }
                #expect(try await store.runningWorkers().isEmpty)
                #expect(try await store.submissions(userID: late, challenge: nil, limit: 100).count == 6)
            }
        }

        @Test(arguments: TestBackend.all)
        func aUsersSubmissionsNewestFirst(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let t0 = Date(timeIntervalSince1970: 1_760_000_000)
                let a1 = newSubmission(user: alice, challenge: "sum", at: t0)
                let a2 = newSubmission(user: alice, challenge: "echo", at: t0.addingTimeInterval(10))
                let a3 = newSubmission(user: alice, challenge: "sum", at: t0.addingTimeInterval(20))
                let b1 = newSubmission(user: bob, challenge: "sum", at: t0.addingTimeInterval(5))
                for record in [a2, b1, a3, a1] { #expect(try await store.enqueue(record, maxQueued: 10)) }

                #expect(try await store.submissions(userID: alice, challenge: nil, limit: 10).map(\.id) == [a3.id, a2.id, a1.id])
                #expect(try await store.submissions(userID: alice, challenge: "sum", limit: 10).map(\.id) == [a3.id, a1.id])
                #expect(try await store.submissions(userID: alice, challenge: nil, limit: 2).map(\.id) == [a3.id, a2.id])
                #expect(try await store.submissions(userID: alice, challenge: "nope", limit: 10).isEmpty)
                #expect(try await store.submissions(userID: bob, challenge: nil, limit: 10).map(\.id) == [b1.id])

                // Every submission of some challenges in a window, oldest first, bounds included.
                #expect(
                    try await store.submissions(challenges: ["sum"], from: t0, to: t0.addingTimeInterval(20)).map(\.id)
                        == [a1.id, b1.id, a3.id])
                #expect(
                    try await store.submissions(challenges: ["sum", "echo"], from: t0.addingTimeInterval(1), to: t0.addingTimeInterval(19))
                        .map(\.id) == [b1.id, a2.id])
                #expect(try await store.submissions(challenges: [], from: t0, to: t0.addingTimeInterval(100)).isEmpty)
            }
        }

        @Test(arguments: TestBackend.all)
        func challengeLeaderboardRanksFirstAccepted(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let t0 = Date(timeIntervalSince1970: 1_760_000_000)
                func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let carol = try await makeUser(db, "carol")
                let dave = try await makeUser(db, "dave")
                let gina = try await makeUser(db, "gina")
                let anonymous = try await makeUser(db)

                // alice: WA, CE, then AC 100 s after her first try (3 attempts); a later AC changes nothing.
                try await judgedSubmission(db, user: alice, verdict: .WA, at: at(0))
                try await judgedSubmission(db, user: alice, verdict: .CE, at: at(10))
                try await judgedSubmission(db, user: alice, verdict: .AC, at: at(100), language: "python3")
                try await judgedSubmission(db, user: alice, verdict: .AC, at: at(101))
                // bob: accepted at once.
                try await judgedSubmission(db, user: bob, verdict: .AC, at: at(50), language: "cpp")
                // carol: WA, then the judge failed (IE: not her attempt), then AC: 100 s, 2 attempts.
                try await judgedSubmission(db, user: carol, verdict: .WA, at: at(20))
                try await judgedSubmission(db, user: carol, verdict: .IE, at: at(60))
                try await judgedSubmission(db, user: carol, verdict: .AC, at: at(120))
                // gina: also 100 s and 2 attempts, but solved later than carol.
                try await judgedSubmission(db, user: gina, verdict: .TLE, at: at(400))
                try await judgedSubmission(db, user: gina, verdict: .AC, at: at(500))
                // dave never solves it; the anonymous user's AC is not listed.
                try await judgedSubmission(db, user: dave, verdict: .WA, at: at(5))
                try await judgedSubmission(db, user: anonymous, verdict: .AC, at: at(1))
                // Another challenge and a submission not yet judged do not count.
                try await judgedSubmission(db, user: dave, challenge: "echo", verdict: .AC, at: at(6))
                #expect(try await store.enqueue(newSubmission(user: dave, at: at(7)), maxQueued: 10))

                let rows = try await store.challengeLeaderboard(challenge: "sum", limit: 10)
                #expect(
                    rows == [
                        ChallengeBoardRow(rank: 1, username: "bob", solveSeconds: 0, attempts: 1, solvedAt: at(50), language: "cpp"),
                        ChallengeBoardRow(rank: 2, username: "carol", solveSeconds: 100, attempts: 2, solvedAt: at(120), language: "c"),
                        ChallengeBoardRow(rank: 3, username: "gina", solveSeconds: 100, attempts: 2, solvedAt: at(500), language: "c"),
                        ChallengeBoardRow(rank: 4, username: "alice", solveSeconds: 100, attempts: 3, solvedAt: at(100), language: "python3"),
                    ], "\(rows)")
                #expect(try await store.challengeLeaderboard(challenge: "sum", limit: 2).map(\.username) == ["bob", "carol"])
                #expect(try await store.challengeLeaderboard(challenge: "echo", limit: 10).map(\.username) == ["dave"])
                #expect(try await store.challengeLeaderboard(challenge: "none", limit: 10).isEmpty)
            }
        }

        @Test(arguments: TestBackend.all)
        func staleClaimsGoBackInTheQueue(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                for n in 0..<3 {
                    #expect(try await store.enqueue(newSubmission(user: user, at: Date().addingTimeInterval(Double(n) - 10)), maxQueued: 3))
                }
                var first = try #require(try await store.claimNextSubmission(worker: "dead-worker"))
                var second = try #require(try await store.claimNextSubmission(worker: "dead-worker"))
                var third = try #require(try await store.claimNextSubmission(worker: "dead-worker"))
                // One got a verdict before the worker died; one had made progress.
                third.state = .done
                third.verdict = .AC
                try await store.finish(third)
                second.state = .running
                second.tests = [TestResult(n: 1, verdict: .AC, cpuMs: 1, wallMs: 1, memoryKB: 1)]
                try await store.saveProgress(second)

                let now = Date()
                #expect(try await store.requeueStale(olderThan: 900, now: now) == 0, "not stale yet")
                #expect(try await store.requeueStale(olderThan: 900, now: now.addingTimeInterval(1000)) == 2)
                for id in [first.id, second.id] {
                    let stored = try #require(try await store.submission(id: id))
                    #expect(stored.state == .queued)
                    #expect(stored.tests.isEmpty, "progress of the dead worker is cleared")
                }
                #expect(try await store.submission(id: third.id)?.state == .done)
                #expect(try await store.submission(id: third.id)?.verdict == .AC)
                #expect(try await store.queueLength() == 2)
                let jobs = try await judgeJobs(db)
                #expect(jobs[first.id]?.state == "queued" && jobs[first.id]?.worker == nil)
                #expect(jobs[third.id]?.state == "done")

                // Claimed again, in the original order, as a second attempt.
                first = try #require(try await store.claimNextSubmission(worker: "new-worker"))
                second = try #require(try await store.claimNextSubmission(worker: "new-worker"))
                #expect(try await store.claimNextSubmission(worker: "new-worker") == nil)
                #expect(try await judgeJobs(db)[first.id]?.attempts == 2)
                #expect(first.state == .compiling && second.state == .compiling)
                #expect(try await store.requeueStale(olderThan: 900, now: Date()) == 0)
            }
        }

        @Test(arguments: TestBackend.all)
        func requeueTheJobsOfDeadWorkers(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentSubmissionStore(database: db)
                let user = try await makeUser(db, "alice")
                for n in 0..<3 {
                    #expect(try await store.enqueue(newSubmission(user: user, at: Date().addingTimeInterval(Double(n) - 10)), maxQueued: 3))
                }
                let a = try #require(try await store.claimNextSubmission(worker: "host-101-judge-0"))
                let b = try #require(try await store.claimNextSubmission(worker: "host-202-judge-0"))
                let c = try #require(try await store.claimNextSubmission(worker: "host-101-judge-1"))
                #expect(Set(try await store.runningWorkers()) == ["host-101-judge-0", "host-202-judge-0", "host-101-judge-1"])

                #expect(try await store.requeue(workers: []) == 0)
                #expect(try await store.requeue(workers: ["host-101-judge-0", "host-101-judge-1", "nobody"]) == 2)
                #expect(try await store.runningWorkers() == ["host-202-judge-0"])
                #expect(try await store.submission(id: a.id)?.state == .queued)
                #expect(try await store.submission(id: c.id)?.state == .queued)
                #expect(try await store.submission(id: b.id)?.state == .compiling)
                #expect(try await store.queueLength() == 2)
                #expect(try await store.claimNextSubmission(worker: "host-303-judge-0")?.id == a.id)
            }
        }
    }
}
