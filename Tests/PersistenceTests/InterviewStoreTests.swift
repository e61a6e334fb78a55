import BreakfixCore
import Foundation
import Testing

@testable import Persistence

extension PersistenceTests {
    @Suite struct Interviews {
        @Test(arguments: TestBackend.all)
        func roundTripAndExactlyOneCandidateWinsTheInvite(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let store = db.interviewStore
                let owner = try await makeUser(db, "interviewer")
                let interview = InterviewRecord(
                    ownerID: owner, scenarios: ["b", "a"], timeLimitSeconds: 900, cluesAllowed: false, note: "n",
                    inviteExpiresAt: Date().addingTimeInterval(3600))
                try await store.createInterview(interview)
                let loaded = try #require(try await store.interview(id: interview.id))
                #expect(loaded.scenarios == ["b", "a"], "the order is kept")
                #expect(loaded.cluesAllowed == false && loaded.candidateID == nil)
                #expect(try await store.interview(inviteToken: interview.inviteToken)?.id == interview.id)
                #expect(try await store.interviews(ownerID: owner).map(\.id) == [interview.id])

                // Eight candidates race for one invite: exactly one gets it.
                var candidates: [UUID] = []
                for _ in 0..<8 { candidates.append(try await makeUser(db)) }
                let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for candidate in candidates {
                        group.addTask { try await store.claimInvite(interviewID: interview.id, candidateID: candidate, at: Date()) }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(wins == 1)
                let claimed = try #require(try await store.interview(id: interview.id))
                #expect(claimed.candidateID.map(candidates.contains) == true)
                #expect(claimed.startedAt != nil)

                try await store.addNote(InterviewNoteRecord(interviewID: interview.id, sessionID: nil, author: "observer", text: "one"))
                try await store.addNote(
                    InterviewNoteRecord(interviewID: interview.id, sessionID: nil, author: "interviewer", at: Date().addingTimeInterval(1), text: "two"))
                #expect(try await store.notes(interviewID: interview.id).map(\.text) == ["one", "two"])
            }
        }

        @Test(arguments: TestBackend.all)
        func purgingAUserDeletesTheirSessionsAttemptsAndIdentity(_ backend: TestBackend) async throws {
            try await withDatabase(backend) { db in
                let candidate = try await makeUser(db)
                let other = try await makeUser(db)
                let mine = SessionRecord(id: randomToken(), userID: candidate, scenario: "s", timeLimitSeconds: 60, interviewID: "x", cluesAllowed: false)
                let theirs = SessionRecord(id: randomToken(), userID: other, scenario: "s", timeLimitSeconds: 60)
                try await db.sessionStore.enqueue(mine)
                try await db.sessionStore.enqueue(theirs)
                let stored = try #require(try await db.sessionStore.session(id: mine.id))
                #expect(stored.interviewID == "x" && stored.cluesAllowed == false, "the interview fields round-trip")
                try await db.sessionStore.addAttempt(AttemptRecord(sessionID: mine.id, verdict: "NO", message: nil))
                try await db.sessionStore.addClueReveal(ClueRevealRecord(sessionID: mine.id, index: 0))
                try await db.userStore.createToken(randomToken(), userID: candidate, expiresAt: Date().addingTimeInterval(60))

                #expect(try await db.interviewStore.purgeUser(candidate) == [mine.id])
                #expect(try await db.sessionStore.session(id: mine.id) == nil)
                #expect(try await db.sessionStore.attempts(sessionID: mine.id).isEmpty)
                #expect(try await db.sessionStore.clueReveals(sessionID: mine.id).isEmpty)
                #expect(try await db.userStore.user(id: candidate) == nil)
                #expect(try await db.sessionStore.session(id: theirs.id) != nil, "nobody else's data goes")
                #expect(try await db.userStore.user(id: other) != nil)
            }
        }
    }
}
