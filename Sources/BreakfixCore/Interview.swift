import Foundation

/// An interview: scenarios in order for one candidate, made by an interviewer. The candidate
/// comes through the invite link (no account); observers through the observer link.
public struct InterviewRecord: Sendable, Equatable, Codable {
    /// Unguessable (128 random bits, hex).
    public var id: String
    public var ownerID: UUID
    public var scenarios: [String]
    /// The whole interview's clock, from the candidate's start.
    public var timeLimitSeconds: Int
    public var cluesAllowed: Bool
    /// For the interviewers only.
    public var note: String
    /// The secret of the candidate's link (128 random bits).
    public var inviteToken: String
    /// The secret of the observers' link (128 random bits).
    public var observerToken: String
    /// An unused invite stops working then.
    public var inviteExpiresAt: Date
    /// The anonymous user the invite made for the candidate, once they started.
    public var candidateID: UUID?
    public var startedAt: Date?
    public var createdAt: Date

    public init(
        id: String = randomToken(), ownerID: UUID, scenarios: [String], timeLimitSeconds: Int, cluesAllowed: Bool,
        note: String = "", inviteToken: String = randomToken(), observerToken: String = randomToken(),
        inviteExpiresAt: Date, candidateID: UUID? = nil, startedAt: Date? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.ownerID = ownerID
        self.scenarios = scenarios
        self.timeLimitSeconds = timeLimitSeconds
        self.cluesAllowed = cluesAllowed
        self.note = note
        self.inviteToken = inviteToken
        self.observerToken = observerToken
        self.inviteExpiresAt = inviteExpiresAt
        self.candidateID = candidateID
        self.startedAt = startedAt
        self.createdAt = createdAt
    }

    /// When the interview's clock runs out (nil before the candidate starts).
    public var deadline: Date? { startedAt.map { $0.addingTimeInterval(Double(timeLimitSeconds)) } }
}

/// A private, timestamped note of an observer.
public struct InterviewNoteRecord: Sendable, Equatable, Codable {
    public var id: UUID
    public var interviewID: String
    /// The session the note was taken during, if any.
    public var sessionID: String?
    /// The interviewer's username, or "observer" for a holder of the observer link.
    public var author: String
    public var at: Date
    public var text: String

    public init(id: UUID = UUID(), interviewID: String, sessionID: String?, author: String, at: Date = Date(), text: String) {
        self.id = id
        self.interviewID = interviewID
        self.sessionID = sessionID
        self.author = author
        self.at = at
        self.text = text
    }
}

public protocol InterviewStore: Sendable {
    func createInterview(_ interview: InterviewRecord) async throws
    func interview(id: String) async throws -> InterviewRecord?
    func interview(inviteToken: String) async throws -> InterviewRecord?
    /// Interviews made by a user, newest first.
    func interviews(ownerID: UUID) async throws -> [InterviewRecord]
    /// Binds the invite to its candidate, only if no candidate has used it yet. Returns false
    /// when someone else got there first.
    func claimInvite(interviewID: String, candidateID: UUID, at: Date) async throws -> Bool
    func addNote(_ note: InterviewNoteRecord) async throws
    func notes(interviewID: String) async throws -> [InterviewNoteRecord]
    /// Deletes a user's sessions with their attempts and clue reveals, their tokens and the user
    /// itself (a candidate's data, on request). Returns the deleted session ids.
    func purgeUser(_ userID: UUID) async throws -> [String]
}

public enum InterviewError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound
    case inviteUsed
    case inviteExpired
    case over
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound: "No such interview."
        case .inviteUsed: "This invite link has already been used by another candidate; ask your interviewer for a new one."
        case .inviteExpired: "This invite link has expired; ask your interviewer for a new one."
        case .over: "This interview is over: every scenario has been played or its time has run out."
        case .invalid(let why): why
        }
    }
}

/// Interviews: creation, the candidate's starts, who may watch, and the report.
public struct InterviewService: Sendable {
    public let store: any InterviewStore
    public let sessions: SessionService
    /// How long an unused invite stays valid.
    public var inviteLifetime: TimeInterval

    public init(store: any InterviewStore, sessions: SessionService, inviteLifetime: TimeInterval = 7 * 24 * 3600) {
        self.store = store
        self.sessions = sessions
        self.inviteLifetime = inviteLifetime
    }

    public func create(
        ownerID: UUID, scenarios: [String], timeLimitSeconds: Int, cluesAllowed: Bool, note: String
    ) async throws -> InterviewRecord {
        guard !scenarios.isEmpty, scenarios.count <= 10 else {
            throw InterviewError.invalid("An interview has 1 to 10 scenarios.")
        }
        for slug in scenarios where sessions.catalog[slug] == nil {
            throw InterviewError.invalid("There is no scenario \"\(slug)\".")
        }
        guard (60...(8 * 3600)).contains(timeLimitSeconds) else {
            throw InterviewError.invalid("The time limit is between 60 seconds and 8 hours.")
        }
        guard note.count <= 4000 else { throw InterviewError.invalid("The note is at most 4000 characters.") }
        let interview = InterviewRecord(
            ownerID: ownerID, scenarios: scenarios, timeLimitSeconds: timeLimitSeconds, cluesAllowed: cluesAllowed,
            note: note, inviteExpiresAt: Date().addingTimeInterval(inviteLifetime))
        try await store.createInterview(interview)
        return interview
    }

    /// The candidate's sessions, oldest first.
    public func candidateSessions(_ interview: InterviewRecord) async throws -> [SessionRecord] {
        guard let candidate = interview.candidateID else { return [] }
        return try await sessions.store.sessions(userID: candidate)
            .filter { $0.interviewID == interview.id }
            .sorted { $0.createdAt < $1.createdAt }
    }

    /// Starts the candidate's next scenario. The first start binds the invite to `candidateID`
    /// and starts the interview's clock; later starts (next scenario) need the same candidate.
    public func start(inviteToken: String, candidateID: UUID, now: Date = Date()) async throws -> SessionRecord {
        guard inviteToken.count == 32, let interview = try await store.interview(inviteToken: inviteToken) else {
            throw InterviewError.notFound
        }
        var current = interview
        if let candidate = interview.candidateID {
            guard candidate == candidateID else { throw InterviewError.inviteUsed }
        } else {
            guard interview.inviteExpiresAt > now else { throw InterviewError.inviteExpired }
            guard try await store.claimInvite(interviewID: interview.id, candidateID: candidateID, at: now) else {
                throw InterviewError.inviteUsed
            }
            current.candidateID = candidateID
            current.startedAt = now
        }
        let played = try await candidateSessions(current)
        if let live = played.first(where: { $0.state.isLive }) { throw SessionError.liveSessionExists(live) }
        guard played.count < current.scenarios.count, let deadline = current.deadline else { throw InterviewError.over }
        let remaining = Int(deadline.timeIntervalSince(now).rounded(.down))
        guard remaining >= 30 else { throw InterviewError.over }
        return try await sessions.start(
            userID: candidateID, scenario: current.scenarios[played.count],
            options: .init(interviewID: current.id, timeLimitSeconds: remaining, cluesAllowed: current.cluesAllowed))
    }

    /// The interview when the caller may watch it: its owner, or a holder of the observer key.
    public func watchable(_ id: String, userID: UUID?, key: String?) async throws -> InterviewRecord {
        guard id.count == 32, let interview = try await store.interview(id: id) else { throw InterviewError.notFound }
        if let userID, interview.ownerID == userID { return interview }
        if let key, key.count == 32, constantTimeEquals(key, interview.observerToken) { return interview }
        throw InterviewError.notFound
    }

    /// A session the caller may watch or replay: their own, or one of an interview they may watch.
    public func viewableSession(_ id: String, userID: UUID?, key: String?) async throws -> SessionRecord {
        guard let session = try await sessions.store.session(id: id) else { throw SessionError.notFound }
        if let userID, session.userID == userID { return session }
        guard let interviewID = session.interviewID,
            (try? await watchable(interviewID, userID: userID, key: key)) != nil
        else { throw SessionError.notFound }
        return session
    }

    /// Everything a report needs, per session.
    public struct SessionReport: Sendable {
        public var session: SessionRecord
        public var attempts: [AttemptRecord]
        public var clues: [ClueRevealRecord]
        public var commands: [(at: Date, command: String)]
    }

    public func report(_ interview: InterviewRecord) async throws -> [SessionReport] {
        var result: [SessionReport] = []
        for session in try await candidateSessions(interview) {
            result.append(
                SessionReport(
                    session: session,
                    attempts: try await sessions.store.attempts(sessionID: session.id),
                    clues: try await sessions.store.clueReveals(sessionID: session.id),
                    commands: await commands(of: session)))
        }
        return result
    }

    /// The commands a session's user ran: the shell's own history when it was saved (exact, with
    /// times), else the lines typed, from the recording.
    public func commands(of session: SessionRecord) async -> [(at: Date, command: String)] {
        guard let recorder = sessions.terminals.recorder else { return [] }
        if let data = FileManager.default.contents(atPath: recorder.historyFile(for: session.id).path) {
            let history = Asciicast.bashHistory(String(decoding: data, as: UTF8.self))
            if !history.isEmpty, history.allSatisfy({ $0.time != nil }) {
                return history.map { (Date(timeIntervalSince1970: $0.time ?? 0), $0.command) }
            }
        }
        guard let data = await recording(of: session) else { return [] }
        let cast = Asciicast.parse(String(decoding: data, as: UTF8.self))
        let start = (cast.header["timestamp"] as? NSNumber)?.doubleValue ?? 0
        return Asciicast.commands(cast.events).map { (Date(timeIntervalSince1970: start + $0.time), $0.command) }
    }

    /// The session's asciicast file as written so far: everything the terminal hub has posted is
    /// flushed first. Nil when recording is off or nothing was recorded.
    public func recording(of session: SessionRecord) async -> Data? {
        guard let recorder = sessions.terminals.recorder else { return nil }
        await recorder.flush()
        return FileManager.default.contents(atPath: recorder.file(for: session.id).path)
    }

    /// Deletes a candidate's (or any user's) data: sessions, attempts, clue reveals, recordings.
    public func purge(userID: UUID) async throws -> [String] {
        let ids = try await store.purgeUser(userID)
        if let recorder = sessions.terminals.recorder {
            await recorder.flush()
            for id in ids { await recorder.delete(id) }
        }
        return ids
    }
}

/// Compares secrets without an early exit on the first differing byte.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}
