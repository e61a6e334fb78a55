import BreakfixCore
import Foundation
import Testing

@testable import Persistence

extension PersistenceTests {
    @Suite struct Leaderboards {
        /// Records a solved session: ready at `start`, solved `seconds` later, with `clues` reveals.
        func solve(
            _ db: BreakfixDatabase, user: UUID, scenario: String, seconds: Double, clues: Int = 0,
            start: Date = Date(timeIntervalSince1970: 1_750_000_000)
        ) async throws {
            let store = db.sessionStore
            var session = SessionRecord(
                id: newSessionID(), userID: user, scenario: scenario, timeLimitSeconds: 900, createdAt: start)
            try await store.enqueue(session)
            session.state = .solved
            session.readyAt = start
            session.solvedAt = start.addingTimeInterval(seconds)
            try await store.update(session)
            for index in 0..<clues {
                try await store.addClueReveal(ClueRevealRecord(sessionID: session.id, index: index))
            }
        }

        @Test(arguments: TestBackend.all)
        func perScenarioBestRunFastestThenFewestClues(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let carol = try await makeUser(db, "carol")
                let dave = try await makeUser(db, "dave")
                let anonymous = try await makeUser(db)
                let t0 = Date(timeIntervalSince1970: 1_750_000_000)

                try await solve(db, user: alice, scenario: "nginx", seconds: 60, clues: 2)
                try await solve(db, user: alice, scenario: "nginx", seconds: 120)
                try await solve(db, user: bob, scenario: "nginx", seconds: 60, clues: 0)
                // Same time and clues as dave, but solved later.
                try await solve(db, user: carol, scenario: "nginx", seconds: 90, start: t0.addingTimeInterval(10))
                try await solve(db, user: dave, scenario: "nginx", seconds: 90, start: t0)
                try await solve(db, user: anonymous, scenario: "nginx", seconds: 5)
                try await solve(db, user: alice, scenario: "disk", seconds: 1)
                // Not solved: not ranked.
                let unsolved = SessionRecord(id: newSessionID(), userID: bob, scenario: "nginx", timeLimitSeconds: 900)
                try await db.sessionStore.enqueue(unsolved)

                let rows = try await db.sessionStore.leaderboard(scenario: "nginx", limit: 10)
                #expect(
                    rows == [
                        LeaderboardRow(rank: 1, username: "bob", solveSeconds: 60, clues: 0, solved: 1),
                        LeaderboardRow(rank: 2, username: "alice", solveSeconds: 60, clues: 2, solved: 2),
                        LeaderboardRow(rank: 3, username: "dave", solveSeconds: 90, clues: 0, solved: 1),
                        LeaderboardRow(rank: 4, username: "carol", solveSeconds: 90, clues: 0, solved: 1),
                    ])
                #expect(try await db.sessionStore.leaderboard(scenario: "nginx", limit: 2).map(\.username) == ["bob", "alice"])
                #expect(try await db.sessionStore.leaderboard(scenario: "none", limit: 10).isEmpty)
            }
        }

        @Test(arguments: TestBackend.all)
        func overallByScenariosSolvedThenTotalTime(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let alice = try await makeUser(db, "alice")
                let bob = try await makeUser(db, "bob")
                let carol = try await makeUser(db, "carol")
                let anonymous = try await makeUser(db)

                // alice: 2 scenarios, best times 50 + 30 = 80.
                try await solve(db, user: alice, scenario: "nginx", seconds: 100)
                try await solve(db, user: alice, scenario: "nginx", seconds: 50, clues: 1)
                try await solve(db, user: alice, scenario: "disk", seconds: 30)
                // carol: 2 scenarios, 40 + 60 = 100.
                try await solve(db, user: carol, scenario: "nginx", seconds: 40)
                try await solve(db, user: carol, scenario: "dns", seconds: 60, clues: 2)
                // bob: 1 scenario, fastest of all, still after the two-scenario users.
                try await solve(db, user: bob, scenario: "nginx", seconds: 1)
                // anonymous: 3 scenarios, excluded.
                for scenario in ["nginx", "disk", "dns"] {
                    try await solve(db, user: anonymous, scenario: scenario, seconds: 1)
                }

                let rows = try await db.sessionStore.leaderboard(limit: 10)
                #expect(
                    rows == [
                        LeaderboardRow(rank: 1, username: "alice", solveSeconds: 80, clues: 1, solved: 2),
                        LeaderboardRow(rank: 2, username: "carol", solveSeconds: 100, clues: 2, solved: 2),
                        LeaderboardRow(rank: 3, username: "bob", solveSeconds: 1, clues: 0, solved: 1),
                    ])
                #expect(try await db.sessionStore.leaderboard(limit: 1).map(\.username) == ["alice"])
            }
        }
    }
}
