import Foundation

/// Contests over scenarios and code challenges: an admin creates one, registered users join it,
/// checks and submissions made in it count on its scoreboard between its start and end.
public struct ContestService: Sendable {
    public let store: any ContestStore
    public let submissions: SubmissionService
    public let sessions: SessionService

    public init(store: any ContestStore, submissions: SubmissionService, sessions: SessionService) {
        self.store = store
        self.submissions = submissions
        self.sessions = sessions
    }

    public func create(
        owner: UserRecord, title: String, startsAt: Date, endsAt: Date, items: [ContestItem], scoring: ContestScoring,
        freezeMinutes: Int
    ) async throws -> ContestRecord {
        guard owner.isAdmin else {
            throw ContestError.forbidden("Only an admin can create a contest (breakfix user add NAME --admin).")
        }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...120).contains(title.count) else { throw ContestError.invalid("A contest needs a title of 1–120 characters.") }
        guard endsAt > startsAt else { throw ContestError.invalid("ends_at must be after starts_at.") }
        guard endsAt.timeIntervalSince(startsAt) <= 30 * 86400 else { throw ContestError.invalid("A contest lasts at most 30 days.") }
        guard !items.isEmpty, items.count <= 50 else { throw ContestError.invalid("A contest needs 1–50 items.") }
        guard Set(items.map(\.slug)).count == items.count else { throw ContestError.invalid("Each item may appear once.") }
        for item in items {
            switch item.kind {
            case .scenario where sessions.catalog[item.slug] == nil:
                throw ContestError.invalid("There is no scenario \"\(item.slug)\".")
            case .challenge where submissions.challenges[item.slug] == nil:
                throw ContestError.invalid("There is no challenge \"\(item.slug)\".")
            default: break
            }
        }
        guard freezeMinutes >= 0, Double(freezeMinutes) * 60 < endsAt.timeIntervalSince(startsAt) else {
            throw ContestError.invalid("freeze_minutes must be from 0 to less than the contest's length.")
        }
        let contest = ContestRecord(
            title: title, ownerID: owner.id, startsAt: startsAt, endsAt: endsAt, items: items, scoring: scoring,
            freezeMinutes: freezeMinutes)
        try await store.create(contest)
        return contest
    }

    public func contest(_ id: String) async throws -> ContestRecord {
        guard let contest = try await store.contest(id: id) else { throw ContestError.notFound }
        return contest
    }

    public func join(_ id: String, user: UserRecord, now: Date = Date()) async throws -> ContestRecord {
        let contest = try await contest(id)
        guard !user.isAnonymous else { throw ContestError.forbidden("Sign up or log in to join a contest; the scoreboard shows your name.") }
        guard now <= contest.endsAt else { throw ContestError.forbidden("The contest \(contest.title) is over.") }
        _ = try await store.join(contestID: id, userID: user.id, at: now)
        return contest
    }

    /// Items are shown to participants between start and end, and to everyone once it is over.
    public func visibleItems(_ contest: ContestRecord, userID: UUID?, now: Date = Date()) async throws -> [ContestItem] {
        if now > contest.endsAt { return contest.items }
        guard now >= contest.startsAt, let userID else { return [] }
        if userID == contest.ownerID { return contest.items }
        return try await store.isParticipant(contestID: contest.id, userID: userID) ? contest.items : []
    }

    /// Throws (a sentence) unless the user may act on this item of the contest now.
    func admit(_ id: String, slug: String, kind: ContestItem.Kind, userID: UUID, now: Date) async throws -> ContestRecord {
        guard let contest = try await store.contest(id: id) else { throw SubmissionError.notInContestWindow("There is no such contest.") }
        guard contest.items.contains(where: { $0.slug == slug && $0.kind == kind }) else {
            throw SubmissionError.notInContestWindow("\(slug) is not part of the contest \(contest.title).")
        }
        guard try await store.isParticipant(contestID: id, userID: userID) else {
            throw SubmissionError.notInContestWindow("Join the contest \(contest.title) first.")
        }
        guard now >= contest.startsAt else {
            throw SubmissionError.notInContestWindow("The contest \(contest.title) has not started yet.")
        }
        guard now <= contest.endsAt else {
            throw SubmissionError.notInContestWindow("The contest \(contest.title) ended at \(contest.endsAt.formatted(.iso8601)); this does not count any more.")
        }
        return contest
    }

    public func admitSubmission(contestID: String, slug: String, userID: UUID, now: Date = Date()) async throws {
        _ = try await admit(contestID, slug: slug, kind: .challenge, userID: userID, now: now)
    }

    public func admitSession(contestID: String, scenario: String, userID: UUID, now: Date = Date()) async throws {
        _ = try await admit(contestID, slug: scenario, kind: .scenario, userID: userID, now: now)
    }

    /// The scoreboard as the viewer may see it: frozen in the last minutes for everyone but the
    /// contest's owner.
    public func scoreboard(_ id: String, viewerID: UUID?, now: Date = Date()) async throws -> (ContestRecord, ContestScoreboard) {
        let contest = try await contest(id)
        let participants = try await store.participants(contestID: id)
        let attempts = try await store.attempts(contestID: id)
        var difficulties: [String: Difficulty] = [:]
        for item in contest.items {
            switch item.kind {
            case .scenario: difficulties[item.slug] = sessions.catalog[item.slug]?.scenario.difficulty
            case .challenge: difficulties[item.slug] = submissions.challenges[item.slug]?.challenge.difficulty
            }
        }
        let board = ContestScoreboard.compute(
            contest: contest, participants: participants, attempts: attempts, difficulties: difficulties, now: now,
            unfrozen: viewerID == contest.ownerID)
        return (contest, board)
    }
}
