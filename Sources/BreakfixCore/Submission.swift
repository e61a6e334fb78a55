import Foundation

/// Where a submission is: `queued → compiling → running → done`.
public enum SubmissionState: String, Sendable, Codable, CaseIterable {
    case queued, compiling, running, done
}

/// One program submitted to a code challenge, with what the judge found so far.
public struct SubmissionRecord: Sendable, Equatable, Codable {
    /// 128 random bits, hex.
    public var id: String
    public var userID: UUID
    public var challenge: String
    public var language: String
    public var source: String
    public var state: SubmissionState
    public var verdict: Verdict?
    public var failedTest: Int?
    public var compileOutput: String?
    public var tests: [TestResult]
    /// The tests the challenge has (for a progress bar).
    public var testCount: Int
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// For IE: the judge's own error, for the operator (never shown as the user's fault).
    public var internalError: String?
    /// The contest it was submitted in, if any.
    public var contestID: String?

    public init(
        id: String = randomToken(), userID: UUID, challenge: String, language: String, source: String,
        state: SubmissionState = .queued, verdict: Verdict? = nil, failedTest: Int? = nil, compileOutput: String? = nil,
        tests: [TestResult] = [], testCount: Int, createdAt: Date = Date(), startedAt: Date? = nil,
        finishedAt: Date? = nil, internalError: String? = nil, contestID: String? = nil
    ) {
        self.id = id
        self.userID = userID
        self.challenge = challenge
        self.language = language
        self.source = source
        self.state = state
        self.verdict = verdict
        self.failedTest = failedTest
        self.compileOutput = compileOutput
        self.tests = tests
        self.testCount = testCount
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.internalError = internalError
        self.contestID = contestID
    }
}

/// A row of a challenge's leaderboard: first accepted submission, fewest attempts before it.
public struct ChallengeBoardRow: Sendable, Equatable {
    public var rank: Int
    public var username: String
    /// Seconds from the user's first submission to their first AC.
    public var solveSeconds: Int
    /// Submissions up to and including the first AC.
    public var attempts: Int
    public var solvedAt: Date
    public var language: String

    public init(rank: Int, username: String, solveSeconds: Int, attempts: Int, solvedAt: Date, language: String) {
        self.rank = rank
        self.username = username
        self.solveSeconds = solveSeconds
        self.attempts = attempts
        self.solvedAt = solvedAt
        self.language = language
    }
}

/// Submissions and the judge queue (the `jobs` table sessions use, kind `judge_submission`).
public protocol SubmissionStore: Sendable {
    /// Inserts the submission and its job in one transaction, unless the user already has
    /// `maxQueued` submissions not done; returns false then.
    func enqueue(_ submission: SubmissionRecord, maxQueued: Int) async throws -> Bool
    /// Claims the oldest queued judge job atomically (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and
    /// moves its submission to `compiling`.
    func claimNextSubmission(worker: String) async throws -> SubmissionRecord?
    /// Writes the progress fields (state, tests, compile output) of a submission still being judged.
    func saveProgress(_ submission: SubmissionRecord) async throws
    /// Writes the final result and closes the job.
    func finish(_ submission: SubmissionRecord) async throws
    func submission(id: String) async throws -> SubmissionRecord?
    /// The user's submissions, newest first (all challenges when `challenge` is nil).
    func submissions(userID: UUID, challenge: String?, limit: Int) async throws -> [SubmissionRecord]
    /// Every submission of these challenges made in the window, oldest first (contest scoring).
    func submissions(challenges: [String], from: Date, to: Date) async throws -> [SubmissionRecord]
    func challengeLeaderboard(challenge: String, limit: Int) async throws -> [ChallengeBoardRow]
    /// Puts submissions claimed longer than `olderThan` ago and not done back in the queue (their
    /// worker died); returns how many.
    func requeueStale(olderThan: TimeInterval, now: Date) async throws -> Int
    /// Queued judge jobs.
    func queueLength() async throws -> Int
    /// The workers holding running judge jobs.
    func runningWorkers() async throws -> [String]
    /// Puts the running jobs of these workers back in the queue; returns how many.
    func requeue(workers: [String]) async throws -> Int
}

/// In-process fan-out of submission changes to the pages watching them.
public actor SubmissionEvents {
    private var subscribers: [String: [Int: AsyncStream<SubmissionRecord>.Continuation]] = [:]
    private var nextID = 0

    public init() {}

    public func subscribe(_ id: String) -> AsyncStream<SubmissionRecord> {
        let key = nextID
        nextID += 1
        let (stream, continuation) = AsyncStream<SubmissionRecord>.makeStream(bufferingPolicy: .bufferingNewest(1))
        subscribers[id, default: [:]][key] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id, key) } }
        return stream
    }

    public func publish(_ submission: SubmissionRecord) {
        for continuation in subscribers[submission.id]?.values ?? [:].values { continuation.yield(submission) }
    }

    private func unsubscribe(_ id: String, _ key: Int) {
        subscribers[id]?[key] = nil
        if subscribers[id]?.isEmpty == true { subscribers[id] = nil }
    }
}

/// The challenges a server offers, by slug.
public struct ChallengeCatalog: Sendable {
    public let bundles: [ChallengeBundle]
    private let bySlug: [String: ChallengeBundle]

    public init(_ bundles: [ChallengeBundle]) {
        self.bundles = bundles.sorted {
            ($0.challenge.difficulty, $0.challenge.title) < ($1.challenge.difficulty, $1.challenge.title)
        }
        self.bySlug = Dictionary(bundles.map { ($0.challenge.slug, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(slug: String) -> ChallengeBundle? { bySlug[slug] }
}

/// Why a submission was refused, as a sentence for the user.
public enum SubmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownChallenge(String)
    case unknownLanguage(String, known: [String])
    case languageNotAllowed(String, challenge: String, allowed: [String])
    case emptySource
    case sourceTooLarge(limit: Int)
    case tooManyQueued(limit: Int)
    case rateLimited
    case notFound
    case judgeUnavailable
    case notInContestWindow(String)

    public var description: String {
        switch self {
        case .unknownChallenge(let slug): return "There is no challenge \"\(slug)\"."
        case .unknownLanguage(let id, let known):
            return "There is no language \"\(id)\"; choose one of \(known.joined(separator: ", "))."
        case .languageNotAllowed(let id, let challenge, let allowed):
            return "The challenge \(challenge) does not accept \(id); use one of \(allowed.joined(separator: ", "))."
        case .emptySource: return "The program is empty; write or paste your code first."
        case .sourceTooLarge(let limit): return "The program is larger than \(limit / 1024) KiB."
        case .tooManyQueued(let limit):
            return "You already have \(limit) submissions waiting to be judged; wait for their verdicts and submit again."
        case .rateLimited: return "Too many submissions in the last minute; wait a little and submit again."
        case .notFound: return "There is no such submission."
        case .judgeUnavailable: return "This server has no judge configured; ask the operator to set up languages.yaml."
        case .notInContestWindow(let message): return message
        }
    }
}

/// Submitting programs and judging them: the web tier calls `submit`, workers (in the server or
/// in `breakfix judge-worker` on another machine) call `runWorker`.
public struct SubmissionService: Sendable {
    public let store: any SubmissionStore
    public let challenges: ChallengeCatalog
    public let languages: [LanguageSpec]
    public let events: SubmissionEvents
    public var maxQueuedPerUser: Int
    public var maxSourceBytes: Int
    let rateLimiter: RateLimiter

    public init(
        store: any SubmissionStore, challenges: ChallengeCatalog, languages: [LanguageSpec],
        events: SubmissionEvents = SubmissionEvents(), maxQueuedPerUser: Int = 3, perMinute: Int = 12,
        maxSourceBytes: Int = 64 << 10
    ) {
        self.store = store
        self.challenges = challenges
        self.languages = languages
        self.events = events
        self.maxQueuedPerUser = maxQueuedPerUser
        self.maxSourceBytes = maxSourceBytes
        self.rateLimiter = RateLimiter(limit: perMinute, window: 60)
    }

    public func language(_ id: String) -> LanguageSpec? { languages.first { $0.id == id } }

    /// The languages a challenge accepts, in configuration order.
    public func languages(for challenge: Challenge) -> [LanguageSpec] {
        languages.filter { challenge.allows(language: $0.id) }
    }

    /// Validates and queues a submission. Throws `SubmissionError`.
    public func submit(
        userID: UUID, challenge slug: String, language id: String, source: String, contestID: String? = nil,
        now: Date = Date()
    ) async throws -> SubmissionRecord
    {
        guard let bundle = challenges[slug] else { throw SubmissionError.unknownChallenge(slug) }
        guard !languages.isEmpty else { throw SubmissionError.judgeUnavailable }
        guard language(id) != nil else { throw SubmissionError.unknownLanguage(id, known: languages.map(\.id)) }
        guard bundle.challenge.allows(language: id) else {
            throw SubmissionError.languageNotAllowed(id, challenge: slug, allowed: languages(for: bundle.challenge).map(\.id))
        }
        guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SubmissionError.emptySource }
        guard source.utf8.count <= maxSourceBytes else { throw SubmissionError.sourceTooLarge(limit: maxSourceBytes) }
        guard await rateLimiter.allow(userID.uuidString, now: now) else { throw SubmissionError.rateLimited }
        let record = SubmissionRecord(
            userID: userID, challenge: slug, language: id, source: source, testCount: bundle.tests.count, createdAt: now,
            contestID: contestID)
        guard try await store.enqueue(record, maxQueued: maxQueuedPerUser) else {
            throw SubmissionError.tooManyQueued(limit: maxQueuedPerUser)
        }
        return record
    }

    public func submission(_ id: String, userID: UUID) async throws -> SubmissionRecord {
        guard let record = try await store.submission(id: id), record.userID == userID else { throw SubmissionError.notFound }
        return record
    }

    /// Puts back the submissions of judge workers of this host whose process is gone (a worker
    /// id is `<host>-<pid>-judge-<n>`), so a restart mid-judging loses nothing.
    public func recoverOrphans(host: String) async throws -> Int {
        let dead = try await store.runningWorkers().filter { worker in
            guard worker.hasPrefix(host + "-") else { return false }
            let rest = worker.dropFirst(host.count + 1)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }) else { return false }
            return pid != getpid() && kill(pid, 0) != 0
        }
        return dead.isEmpty ? 0 : try await store.requeue(workers: dead)
    }

    /// Claims and judges submissions until cancelled; sleeps `idle` when the queue is empty.
    /// Every minute it also puts back submissions claimed over 15 minutes ago and never finished
    /// (their worker, on whatever machine, died).
    public func runWorker(
        id: String, judge: any Judge, idle: Duration = .milliseconds(200), log: @escaping @Sendable (String) -> Void = { _ in }
    ) async {
        var lastSweep = Date.distantPast
        while !Task.isCancelled {
            if Date().timeIntervalSince(lastSweep) > 60 {
                lastSweep = Date()
                if let count = try? await store.requeueStale(olderThan: 900, now: Date()), count > 0 {
                    log("judge worker \(id): put \(count) abandoned submission(s) back in the queue")
                }
                let removed = await judge.removeAbandonedSandboxes(olderThan: .seconds(900))
                if removed > 0 { log("judge worker \(id): removed \(removed) sandbox(es) a stopped judge left behind") }
            }
            let claimed: SubmissionRecord?
            do {
                claimed = try await store.claimNextSubmission(worker: id)
            } catch {
                log("judge worker \(id): cannot read the queue: \(error)")
                try? await Task.sleep(for: .seconds(2))
                continue
            }
            guard let submission = claimed else {
                try? await Task.sleep(for: idle)
                continue
            }
            await judgeOne(submission, judge: judge, log: log)
        }
    }

    /// Judges one claimed submission, saving and publishing progress as it comes. An internal
    /// error is retried once before it is reported.
    public func judgeOne(_ claimed: SubmissionRecord, judge: any Judge, log: @escaping @Sendable (String) -> Void = { _ in })
        async
    {
        var record = claimed
        record.startedAt = record.startedAt ?? Date()
        guard let bundle = challenges[record.challenge], let language = language(record.language) else {
            record.state = .done
            record.verdict = .IE
            record.internalError = "This worker does not know the challenge \(record.challenge) or language \(record.language)."
            record.finishedAt = Date()
            try? await store.finish(record)
            await events.publish(record)
            log("judge: \(record.id): \(record.internalError ?? "")")
            return
        }
        let store = self.store
        let events = self.events
        var outcome = JudgeOutcome(verdict: .IE)
        for attempt in 1...2 {
            let progress = ProgressRecorder(record: record)
            let request = JudgeRequest(
                bundle: bundle, language: language, source: record.source,
                labels: ["breakfix.submission": record.id, "breakfix.challenge": bundle.challenge.slug])
            outcome = await judge.judge(request) { step in
                let updated = await progress.apply(step)
                try? await store.saveProgress(updated)
                await events.publish(updated)
            }
            if outcome.verdict != .IE { break }
            log("judge: \(record.id) attempt \(attempt): internal error: \(outcome.internalError ?? "unknown")")
        }
        record.state = .done
        record.verdict = outcome.verdict
        record.failedTest = outcome.failedTest
        record.compileOutput = outcome.compileOutput
        record.tests = outcome.tests
        record.internalError = outcome.internalError
        record.finishedAt = Date()
        do {
            try await store.finish(record)
        } catch {
            log("judge: \(record.id): cannot save the verdict: \(error)")
        }
        await events.publish(record)
    }
}

/// Folds judge progress into the record the pages see.
actor ProgressRecorder {
    private var record: SubmissionRecord

    init(record: SubmissionRecord) {
        var fresh = record
        fresh.tests = []
        fresh.compileOutput = nil
        fresh.state = .compiling
        self.record = fresh
    }

    func apply(_ step: JudgeProgress) -> SubmissionRecord {
        switch step {
        case .compiling: record.state = .compiling
        case .compiled(let output):
            record.compileOutput = output.isEmpty ? nil : output
            record.state = .running
        case .test(let result):
            record.state = .running
            record.tests.removeAll { $0.n == result.n }
            record.tests.append(result)
        }
        return record
    }
}
