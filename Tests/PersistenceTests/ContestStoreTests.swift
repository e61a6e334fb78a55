import BreakfixCore
import FluentKit
import Foundation
import Testing

@testable import Persistence

extension PersistenceTests {
    @Suite struct Contests {
        static let t0 = Date(timeIntervalSince1970: 1_760_000_000)

        func contest(owner: UUID, id: String = "spring-cup", startsAt: Date = t0, freeze: Int = 15) -> ContestRecord {
            ContestRecord(
                id: id, title: "Spring cup", ownerID: owner, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(7200),
                items: [
                    ContestItem(kind: .challenge, slug: "sum"), ContestItem(kind: .scenario, slug: "nginx-502"),
                    ContestItem(kind: .challenge, slug: "fibre-upgrade"),
                ],
                scoring: .points, freezeMinutes: freeze, createdAt: startsAt.addingTimeInterval(-86400))
        }

        @Test(arguments: TestBackend.all)
        func createAndReadBack(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentContestStore(database: db)
                let owner = try await makeUser(db, "admin")
                let spring = contest(owner: owner)
                try await store.create(spring)
                let stored = try #require(try await store.contest(id: spring.id))
                #expect(stored.id == spring.id)
                #expect(stored.title == "Spring cup")
                #expect(stored.ownerID == owner)
                #expect(stored.items == spring.items, "items keep their kinds and order")
                #expect(stored.scoring == .points)
                #expect(stored.freezeMinutes == 15)
                #expect(sameInstant(stored.startsAt, spring.startsAt))
                #expect(sameInstant(stored.endsAt, spring.endsAt))
                #expect(sameInstant(stored.createdAt, spring.createdAt))
                #expect(try await store.contest(id: "missing") == nil)

                let later = ContestRecord(
                    id: "summer-cup", title: "Summer cup", ownerID: owner, startsAt: Self.t0.addingTimeInterval(86400 * 90),
                    endsAt: Self.t0.addingTimeInterval(86400 * 90 + 3600), items: [ContestItem(kind: .scenario, slug: "disk-full")],
                    scoring: .icpc)
                try await store.create(later)
                #expect(try await store.contests().map(\.id) == ["summer-cup", "spring-cup"], "newest start first")
                #expect(try await store.contest(id: "summer-cup")?.scoring == .icpc)
                #expect(try await store.contest(id: "summer-cup")?.freezeMinutes == 0)

                // The same id twice is refused.
                await #expect(throws: (any Error).self) { try await store.create(spring) }
            }
        }

        @Test(arguments: TestBackend.all)
        func joinOnceAndListNamedParticipants(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentContestStore(database: db)
                let owner = try await makeUser(db, "admin")
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let anonymous = try await makeUser(db)
                try await store.create(contest(owner: owner))
                try await store.create(contest(owner: owner, id: "other"))

                #expect(try await store.isParticipant(contestID: "spring-cup", userID: alice) == false)
                #expect(try await store.join(contestID: "spring-cup", userID: alice, at: Self.t0))
                #expect(try await store.join(contestID: "spring-cup", userID: alice, at: Self.t0.addingTimeInterval(5)) == false)
                #expect(try await store.join(contestID: "spring-cup", userID: bob, at: Self.t0))
                #expect(try await store.join(contestID: "spring-cup", userID: anonymous, at: Self.t0))
                #expect(try await store.join(contestID: "other", userID: alice, at: Self.t0), "joining one contest does not join another")
                #expect(try await store.isParticipant(contestID: "spring-cup", userID: alice))
                #expect(try await store.isParticipant(contestID: "spring-cup", userID: owner) == false)
                #expect(try await store.isParticipant(contestID: "other", userID: bob) == false)

                let participants = try await store.participants(contestID: "spring-cup").sorted { $0.username < $1.username }
                #expect(
                    participants == [ContestParticipant(userID: alice, username: "alice"), ContestParticipant(userID: bob, username: "bob")],
                    "only users with a name are listed, once each")
                #expect(try await store.participants(contestID: "other").map(\.username) == ["alice"])
                #expect(try await store.participants(contestID: "missing").isEmpty)
            }
        }

        /// Joining twice at once (a double click): one join counts, none fails.
        @Test(arguments: TestBackend.all)
        func concurrentJoinsCountOnce(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentContestStore(database: db)
                let owner = try await makeUser(db, "admin")
                let alice = try await makeUser(db, "alice")
                try await store.create(contest(owner: owner))
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await store.join(contestID: "spring-cup", userID: alice, at: Self.t0) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1)
                #expect(try await store.participants(contestID: "spring-cup").count == 1)
            }
        }

        @Test(arguments: TestBackend.all)
        func attemptsFromChecksAndSubmissions(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentContestStore(database: db)
                let sessions = db.sessionStore
                let owner = try await makeUser(db, "admin")
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                try await store.create(contest(owner: owner))
                func at(_ seconds: Double) -> Date { Self.t0.addingTimeInterval(seconds) }

                // alice's session in the contest: NO, ERROR (the check itself failed), OK.
                let inContest = SessionRecord(
                    id: newSessionID(), userID: alice, scenario: "nginx-502", timeLimitSeconds: 900, createdAt: at(0),
                    contestID: "spring-cup")
                try await sessions.enqueue(inContest)
                try await sessions.addAttempt(AttemptRecord(sessionID: inContest.id, at: at(300), verdict: "OK", message: nil))
                try await sessions.addAttempt(AttemptRecord(sessionID: inContest.id, at: at(100), verdict: "NO", message: "still 502"))
                try await sessions.addAttempt(AttemptRecord(sessionID: inContest.id, at: at(200), verdict: "ERROR", message: "timed out"))
                // The same scenario outside the contest, and in another contest: not counted.
                let outside = SessionRecord(id: newSessionID(), userID: bob, scenario: "nginx-502", timeLimitSeconds: 900, createdAt: at(0))
                try await sessions.enqueue(outside)
                try await sessions.addAttempt(AttemptRecord(sessionID: outside.id, at: at(50), verdict: "OK", message: nil))
                let elsewhere = SessionRecord(
                    id: newSessionID(), userID: bob, scenario: "nginx-502", timeLimitSeconds: 900, createdAt: at(0), contestID: "other")
                try await sessions.enqueue(elsewhere)
                try await sessions.addAttempt(AttemptRecord(sessionID: elsewhere.id, at: at(60), verdict: "OK", message: nil))

                // bob's submissions in the contest: WA, CE and IE (not tries), TLE, AC, and one still queued.
                for (verdict, second) in [(Verdict.WA, 150.0), (.CE, 160), (.IE, 170), (.TLE, 250), (.AC, 400)] {
                    try await judgedSubmission(db, user: bob, verdict: verdict, at: at(second), contestID: "spring-cup")
                }
                let submissions = FluentSubmissionStore(database: db)
                #expect(try await submissions.enqueue(newSubmission(user: bob, at: at(450), contestID: "spring-cup"), maxQueued: 10))
                // A submission outside the contest.
                try await judgedSubmission(db, user: bob, verdict: .AC, at: at(10))

                let attempts = try await store.attempts(contestID: "spring-cup")
                let expected = [
                    ContestAttempt(userID: alice, slug: "nginx-502", at: at(100), accepted: false),
                    ContestAttempt(userID: bob, slug: "sum", at: at(150), accepted: false),
                    ContestAttempt(userID: bob, slug: "sum", at: at(250), accepted: false),
                    ContestAttempt(userID: alice, slug: "nginx-502", at: at(300), accepted: true),
                    ContestAttempt(userID: bob, slug: "sum", at: at(400), accepted: true),
                ]
                #expect(attempts.count == expected.count, "\(attempts)")
                for (got, want) in zip(attempts, expected) {
                    #expect(got.userID == want.userID && got.slug == want.slug && got.accepted == want.accepted, "\(got) != \(want)")
                    #expect(sameInstant(got.at, want.at), "\(got.at) != \(want.at)")
                }
                #expect(try await store.attempts(contestID: "other").map(\.accepted) == [true])
                #expect(try await store.attempts(contestID: "missing").isEmpty)
            }
        }

        /// The store and the scoreboard together: what a participant sees.
        @Test(arguments: TestBackend.all)
        func scoreboardFromStoredTries(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = FluentContestStore(database: db)
                let owner = try await makeUser(db, "admin")
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let record = contest(owner: owner, freeze: 0)
                try await store.create(record)
                _ = try await store.join(contestID: record.id, userID: alice, at: Self.t0)
                _ = try await store.join(contestID: record.id, userID: bob, at: Self.t0)
                try await judgedSubmission(db, user: alice, verdict: .WA, at: Self.t0.addingTimeInterval(60), contestID: record.id)
                try await judgedSubmission(db, user: alice, verdict: .AC, at: Self.t0.addingTimeInterval(600), contestID: record.id)
                try await judgedSubmission(
                    db, user: bob, challenge: "fibre-upgrade", verdict: .AC, at: Self.t0.addingTimeInterval(1200), contestID: record.id)

                let stored = try #require(try await store.contest(id: record.id))
                let board = ContestScoreboard.compute(
                    contest: stored, participants: try await store.participants(contestID: record.id),
                    attempts: try await store.attempts(contestID: record.id),
                    difficulties: ["sum": .easy, "nginx-502": .medium, "fibre-upgrade": .hard], now: record.endsAt.addingTimeInterval(1))
                #expect(board.rows.map(\.username) == ["bob", "alice"])
                #expect(board.rows.map(\.points) == [300, 100])
                #expect(board.rows.map(\.penaltyMinutes) == [20, 30])
                #expect(board.rows.map(\.rank) == [1, 2])
            }
        }
    }
}
