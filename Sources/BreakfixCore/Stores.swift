import Foundation

/// The life of a session: `queued → provisioning → ready → solved | expired | abandoned | failed →
/// destroyed`. `solved` is still live (the user may keep exploring until the time ends or they
/// leave); `expired`, `abandoned` and `failed` are ended and their sandbox is being removed.
public enum SessionState: String, Sendable, Codable, CaseIterable {
    case queued, provisioning, ready, solved, expired, abandoned, failed, destroyed

    /// The sandbox exists (or is being made) and the user may use it.
    public var isLive: Bool { [.queued, .provisioning, .ready, .solved].contains(self) }
    public var isEnded: Bool { !isLive }
}

/// A registered or anonymous user. Anonymous users have no username until they register.
public struct UserRecord: Sendable, Equatable, Codable {
    public var id: UUID
    public var username: String?
    public var passwordHash: String?
    public var isAdmin: Bool
    public var createdAt: Date

    public init(id: UUID = UUID(), username: String?, passwordHash: String?, isAdmin: Bool = false, createdAt: Date = Date()) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }

    public var isAnonymous: Bool { username == nil }
}

/// One user on one scenario. Every state change stamps its time.
public struct SessionRecord: Sendable, Equatable, Codable {
    /// Unguessable (128 random bits, hex).
    public var id: String
    public var userID: UUID
    public var scenario: String
    public var state: SessionState
    /// Where provisioning is, while `state` is `provisioning`.
    public var phase: ProvisionPhase?
    public var sandboxID: String?
    /// Why the session failed or ended, as a sentence for the user.
    public var reason: String?
    public var timeLimitSeconds: Int
    public var createdAt: Date
    public var provisioningAt: Date?
    public var readyAt: Date?
    public var expiresAt: Date?
    public var solvedAt: Date?
    public var endedAt: Date?
    public var destroyedAt: Date?
    /// The interview this session belongs to (a candidate's session), if any.
    public var interviewID: String?
    /// Whether the user may reveal clues (an interview may forbid them).
    public var cluesAllowed: Bool
    /// The contest this session was started in, if any (its checks count there).
    public var contestID: String?

    public init(
        id: String, userID: UUID, scenario: String, state: SessionState = .queued, phase: ProvisionPhase? = nil,
        sandboxID: String? = nil, reason: String? = nil, timeLimitSeconds: Int, createdAt: Date = Date(),
        provisioningAt: Date? = nil, readyAt: Date? = nil, expiresAt: Date? = nil, solvedAt: Date? = nil,
        endedAt: Date? = nil, destroyedAt: Date? = nil, interviewID: String? = nil, cluesAllowed: Bool = true,
        contestID: String? = nil
    ) {
        self.contestID = contestID
        self.interviewID = interviewID
        self.cluesAllowed = cluesAllowed
        self.id = id
        self.userID = userID
        self.scenario = scenario
        self.state = state
        self.phase = phase
        self.sandboxID = sandboxID
        self.reason = reason
        self.timeLimitSeconds = timeLimitSeconds
        self.createdAt = createdAt
        self.provisioningAt = provisioningAt
        self.readyAt = readyAt
        self.expiresAt = expiresAt
        self.solvedAt = solvedAt
        self.endedAt = endedAt
        self.destroyedAt = destroyedAt
    }

    /// Solve time = first OK − ready, in whole seconds.
    public var solveSeconds: Int? {
        guard let solvedAt, let readyAt else { return nil }
        return max(0, Int(solvedAt.timeIntervalSince(readyAt).rounded()))
    }
}

/// One press of Check.
public struct AttemptRecord: Sendable, Equatable, Codable {
    public var id: UUID
    public var sessionID: String
    public var at: Date
    /// `OK`, `NO` or `ERROR` (the check itself failed).
    public var verdict: String
    public var message: String?

    public init(id: UUID = UUID(), sessionID: String, at: Date = Date(), verdict: String, message: String?) {
        self.id = id
        self.sessionID = sessionID
        self.at = at
        self.verdict = verdict
        self.message = message
    }
}

/// One clue shown to the user.
public struct ClueRevealRecord: Sendable, Equatable, Codable {
    public var sessionID: String
    /// 0-based index into the scenario's clues.
    public var index: Int
    public var at: Date

    public init(sessionID: String, index: Int, at: Date = Date()) {
        self.sessionID = sessionID
        self.index = index
        self.at = at
    }
}

public struct LeaderboardRow: Sendable, Equatable, Codable {
    public var rank: Int
    public var username: String
    /// Per scenario: best solve time. Overall: total of each scenario's best time.
    public var solveSeconds: Int
    /// Per scenario: clues used on the best run. Overall: scenarios solved.
    public var clues: Int
    public var solved: Int

    public init(rank: Int, username: String, solveSeconds: Int, clues: Int, solved: Int) {
        self.rank = rank
        self.username = username
        self.solveSeconds = solveSeconds
        self.clues = clues
        self.solved = solved
    }
}

/// Users, their login tokens.
public protocol UserStore: Sendable {
    func createUser(_ user: UserRecord) async throws
    func user(id: UUID) async throws -> UserRecord?
    /// Case-insensitive.
    func user(username: String) async throws -> UserRecord?
    /// Gives an anonymous user a username and password (keeps its id, so its history stays).
    func register(userID: UUID, username: String, passwordHash: String) async throws
    func createToken(_ token: String, userID: UUID, expiresAt: Date) async throws
    func user(token: String) async throws -> UserRecord?
    func deleteToken(_ token: String) async throws
}

/// Sessions, their attempts and clue reveals, and the start-job queue.
public protocol SessionStore: Sendable {
    /// Inserts the session in `queued` state and its start job, atomically.
    func enqueue(_ session: SessionRecord) async throws
    /// Inserts a session as it is, with no start job (one handed a pooled sandbox).
    func create(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    func update(_ session: SessionRecord) async throws
    /// Writes a provisioning phase, only while the session is still `provisioning`.
    func recordPhase(sessionID: String, _ phase: ProvisionPhase) async throws
    /// Moves a session `provisioning → ready` (state, phase, sandbox, ready and expiry times) in one
    /// conditional write. False when the session had left `provisioning` (the user ended it while
    /// its sandbox was being made): nothing is written then, and the caller removes the sandbox.
    func markReady(_ session: SessionRecord) async throws -> Bool
    /// Sessions of a user, newest first.
    func sessions(userID: UUID) async throws -> [SessionRecord]
    func sessions(states: [SessionState]) async throws -> [SessionRecord]
    /// Claims the oldest queued start job and moves its session to `provisioning` atomically, so
    /// that several workers (and several servers on Postgres) never take the same one.
    func claimNextStart(worker: String) async throws -> SessionRecord?
    /// Marks a session's start job done, or failed with a reason, once provisioning has ended.
    func finishStartJob(sessionID: String, error: String?) async throws
    /// 1-based position among queued sessions; nil when not queued.
    func queuePosition(sessionID: String) async throws -> Int?
    func addAttempt(_ attempt: AttemptRecord) async throws
    func attempts(sessionID: String) async throws -> [AttemptRecord]
    func addClueReveal(_ reveal: ClueRevealRecord) async throws
    func clueReveals(sessionID: String) async throws -> [ClueRevealRecord]
    /// Best solve per registered user on a scenario: fastest, then fewest clues.
    func leaderboard(scenario: String, limit: Int) async throws -> [LeaderboardRow]
    /// Registered users by scenarios solved, then total of best times.
    func leaderboard(limit: Int) async throws -> [LeaderboardRow]
    /// The database answers (for `/readyz`).
    func ping() async throws
}
