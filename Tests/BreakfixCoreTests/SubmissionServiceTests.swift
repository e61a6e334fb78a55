import Foundation
import Testing

@testable import BreakfixCore

/// An in-memory `SubmissionStore`: keeps every submission and logs each progress write and
/// finish, in order.
actor MemorySubmissionStore: SubmissionStore {
    var records: [String: SubmissionRecord] = [:]
    var order: [String] = []
    /// Every `saveProgress` call, in order.
    var progressLog: [SubmissionRecord] = []
    /// Every `finish` call, in order.
    var finished: [SubmissionRecord] = []

    func enqueue(_ submission: SubmissionRecord, maxQueued: Int) async throws -> Bool {
        let waiting = records.values.filter { $0.userID == submission.userID && $0.state != .done }.count
        guard waiting < maxQueued else { return false }
        var queued = submission
        queued.state = .queued
        records[submission.id] = queued
        order.append(submission.id)
        return true
    }

    func claimNextSubmission(worker: String) async throws -> SubmissionRecord? {
        guard let id = order.first(where: { records[$0]?.state == .queued }) else { return nil }
        records[id]?.state = .compiling
        return records[id]
    }

    func saveProgress(_ submission: SubmissionRecord) async throws {
        progressLog.append(submission)
        records[submission.id] = submission
    }

    func finish(_ submission: SubmissionRecord) async throws {
        finished.append(submission)
        records[submission.id] = submission
    }

    func submission(id: String) async throws -> SubmissionRecord? { records[id] }

    func submissions(userID: UUID, challenge: String?, limit: Int) async throws -> [SubmissionRecord] {
        Array(order.reversed().compactMap { records[$0] }.filter { $0.userID == userID && (challenge == nil || $0.challenge == challenge) }.prefix(limit))
    }

    func submissions(challenges: [String], from: Date, to: Date) async throws -> [SubmissionRecord] { [] }
    func challengeLeaderboard(challenge: String, limit: Int) async throws -> [ChallengeBoardRow] { [] }
    func requeueStale(olderThan: TimeInterval, now: Date) async throws -> Int { 0 }
    func queueLength() async throws -> Int { records.values.filter { $0.state == .queued }.count }
    func runningWorkers() async throws -> [String] { [] }
    func requeue(workers: [String]) async throws -> Int { 0 }

    func markDone(_ id: String) { records[id]?.state = .done }
}

/// A judge that plays a script: for its n-th call, the n-th list of progress steps and outcome.
/// After each step it runs `afterStep` (the test's look at what was saved and published).
struct ScriptedJudge: Judge {
    struct Run: Sendable {
        var steps: [JudgeProgress]
        var outcome: JudgeOutcome
    }

    actor Log {
        var requests: [JudgeRequest] = []
        func add(_ request: JudgeRequest) -> Int {
            requests.append(request)
            return requests.count
        }
    }

    let runs: [Run]
    let log = Log()
    var afterStep: @Sendable (JudgeProgress) async -> Void = { _ in }

    init(_ runs: [Run], afterStep: @escaping @Sendable (JudgeProgress) async -> Void = { _ in }) {
        self.runs = runs
        self.afterStep = afterStep
    }

    var calls: Int { get async { await log.requests.count } }

    func judge(_ request: JudgeRequest, progress: @escaping @Sendable (JudgeProgress) async -> Void) async -> JudgeOutcome {
        let n = await log.add(request)
        guard n <= runs.count else { return JudgeOutcome(verdict: .IE, internalError: "the script has no call \(n)") }
        for step in runs[n - 1].steps {
            await progress(step)
            await afterStep(step)
        }
        return runs[n - 1].outcome
    }

    func versions(of languages: [LanguageSpec]) async -> [String: String] { [:] }
}

/// The records a page watching one submission receives, taken one at a time.
actor Watcher {
    private var iterator: AsyncStream<SubmissionRecord>.Iterator
    private(set) var seen: [SubmissionRecord] = []

    init(_ stream: AsyncStream<SubmissionRecord>) {
        iterator = stream.makeAsyncIterator()
    }

    /// Takes the record published last (the stream keeps only the newest).
    func take() async {
        var it = iterator
        if let record = await it.next(isolation: self) { seen.append(record) }
        iterator = it
    }
}

@Suite struct SubmissionServiceTests {
    static let c = LanguageSpec(
        id: "c", name: "C (gcc)", image: "breakfix/judge-c", sourceFile: "main.c", extensions: ["c"],
        compile: ["gcc", "-O2", "main.c"], run: ["./a.out"], version: ["gcc", "--version"])
    static let python = LanguageSpec(
        id: "python3", name: "Python 3", image: "breakfix/judge-python", sourceFile: "main.py", extensions: ["py"],
        compile: nil, run: ["python3", "main.py"], version: ["python3", "--version"])
    static let java = LanguageSpec(
        id: "java", name: "Java", image: "breakfix/judge-java", sourceFile: "Main.java", extensions: ["java"],
        compile: ["javac", "Main.java"], run: ["java", "Main"], version: ["java", "-version"])

    static func bundle(_ slug: String, languages: [String]?) -> ChallengeBundle {
        let tests = (1...3).map {
            ChallengeTest(number: $0, name: "0\($0)", input: Array("\($0)\n".utf8), expected: Array("\($0)\n".utf8), isSample: $0 == 1)
        }
        return ChallengeBundle(
            challenge: Challenge(slug: slug, title: slug.capitalized, difficulty: .easy, languages: languages, statement: "Add."),
            directory: URL(fileURLWithPath: "/nonexistent/\(slug)"), tests: tests, customChecker: nil, solutions: [],
            contentHash: "hash")
    }

    /// `sum` accepts C and Python; `echo` accepts every language.
    static func service(
        store: MemorySubmissionStore = MemorySubmissionStore(), languages: [LanguageSpec] = [c, python, java],
        maxQueued: Int = 3, perMinute: Int = 12
    ) -> SubmissionService {
        SubmissionService(
            store: store, challenges: ChallengeCatalog([bundle("sum", languages: ["c", "python3"]), bundle("echo", languages: nil)]),
            languages: languages, maxQueuedPerUser: maxQueued, perMinute: perMinute)
    }

    static let now = Date(timeIntervalSince1970: 1_760_000_000)
    static let program = "int main(void) { return 0; }\n"

    func refusal(_ body: () async throws -> SubmissionRecord) async -> SubmissionError? {
        do {
            _ = try await body()
            return nil
        } catch let error as SubmissionError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    // MARK: - submit

    @Test func aValidSubmissionIsQueued() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let user = UUID()
        let record = try await service.submit(
            userID: user, challenge: "sum", language: "c", source: Self.program, contestID: "spring", now: Self.now)
        #expect(record.state == .queued)
        #expect(record.testCount == 3)
        #expect(record.createdAt == Self.now)
        #expect(record.contestID == "spring")
        #expect(record.verdict == nil)
        let stored = try #require(try await store.submission(id: record.id))
        #expect(stored == record)
        #expect(try await service.submission(record.id, userID: user) == record)
        // Someone else's submission is not found, rather than forbidden.
        await #expect(throws: SubmissionError.notFound) { try await service.submission(record.id, userID: UUID()) }
        await #expect(throws: SubmissionError.notFound) { try await service.submission("missing", userID: user) }
        // A challenge without a language list accepts every configured language.
        _ = try await service.submit(userID: user, challenge: "echo", language: "java", source: "class Main {}", now: Self.now)
    }

    @Test func refusals() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let user = UUID()

        let unknownChallenge = await refusal {
            try await service.submit(userID: user, challenge: "summ", language: "c", source: Self.program, now: Self.now)
        }
        #expect(unknownChallenge == .unknownChallenge("summ"))
        #expect(unknownChallenge?.description == "There is no challenge \"summ\".")

        let unknownLanguage = await refusal {
            try await service.submit(userID: user, challenge: "sum", language: "rust", source: Self.program, now: Self.now)
        }
        #expect(unknownLanguage == .unknownLanguage("rust", known: ["c", "python3", "java"]))
        #expect(unknownLanguage?.description == "There is no language \"rust\"; choose one of c, python3, java.")

        let notAllowed = await refusal {
            try await service.submit(userID: user, challenge: "sum", language: "java", source: "class Main {}", now: Self.now)
        }
        #expect(notAllowed == .languageNotAllowed("java", challenge: "sum", allowed: ["c", "python3"]))
        #expect(notAllowed?.description == "The challenge sum does not accept java; use one of c, python3.")

        for blank in ["", "   ", "\n\n\t \r\n"] {
            let empty = await refusal {
                try await service.submit(userID: user, challenge: "sum", language: "c", source: blank, now: Self.now)
            }
            #expect(empty == .emptySource, "\(blank.debugDescription)")
        }

        #expect(try await store.submissions(userID: user, challenge: nil, limit: 10).isEmpty, "a refusal stores nothing")
    }

    /// The limit is in bytes (UTF-8), not characters: 64 KiB by default.
    @Test func sourceSizeLimit() async throws {
        let service = Self.service(maxQueued: 10)
        let user = UUID()
        let limit = 64 << 10
        _ = try await service.submit(
            userID: user, challenge: "sum", language: "c", source: String(repeating: "x", count: limit), now: Self.now)
        _ = try await service.submit(
            userID: user, challenge: "sum", language: "c", source: String(repeating: "é", count: limit / 2), now: Self.now)
        let tooLarge = await refusal {
            try await service.submit(
                userID: user, challenge: "sum", language: "c", source: String(repeating: "é", count: limit / 2 + 1), now: Self.now)
        }
        #expect(tooLarge == .sourceTooLarge(limit: limit))
        #expect(tooLarge?.description == "The program is larger than 64 KiB.")
    }

    @Test func rateLimitPerUserPerMinute() async throws {
        let service = Self.service(maxQueued: 100, perMinute: 3)
        let user = UUID()
        // Refused submissions (here: empty) do not use up the user's rate.
        for _ in 0..<5 {
            _ = await refusal { try await service.submit(userID: user, challenge: "sum", language: "c", source: " ", now: Self.now) }
        }
        for second in 0..<3 {
            _ = try await service.submit(
                userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now.addingTimeInterval(Double(second)))
        }
        let limited = await refusal {
            try await service.submit(
                userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now.addingTimeInterval(10))
        }
        #expect(limited == .rateLimited)
        // Another user is not affected.
        _ = try await service.submit(userID: UUID(), challenge: "sum", language: "c", source: Self.program, now: Self.now)
        // A minute after the first one, one more is allowed (and only one).
        _ = try await service.submit(
            userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now.addingTimeInterval(60))
        let again = await refusal {
            try await service.submit(
                userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now.addingTimeInterval(60.5))
        }
        #expect(again == .rateLimited)
    }

    @Test func queuedSubmissionsPerUserAreCapped() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store, maxQueued: 2)
        let user = UUID()
        let first = try await service.submit(userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now)
        _ = try await service.submit(userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now)
        let capped = await refusal {
            try await service.submit(userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now)
        }
        #expect(capped == .tooManyQueued(limit: 2))
        await store.markDone(first.id)
        _ = try await service.submit(userID: user, challenge: "sum", language: "c", source: Self.program, now: Self.now)
    }

    @Test func noLanguagesMeansNoJudge() async throws {
        let service = Self.service(languages: [])
        let refused = await refusal {
            try await service.submit(userID: UUID(), challenge: "sum", language: "c", source: Self.program, now: Self.now)
        }
        #expect(refused == .judgeUnavailable)
    }

    // MARK: - judgeOne

    static func result(_ n: Int, _ verdict: Verdict) -> TestResult {
        TestResult(n: n, verdict: verdict, cpuMs: 10 * n, wallMs: 12 * n, memoryKB: 1024)
    }

    /// Queues one submission and claims it, as a worker would.
    func claimed(_ service: SubmissionService, language: String = "c") async throws -> SubmissionRecord {
        let record = try await service.submit(userID: UUID(), challenge: "sum", language: language, source: Self.program, now: Self.now)
        let claimed = try #require(try await service.store.claimNextSubmission(worker: "w1"))
        #expect(claimed.id == record.id)
        return claimed
    }

    @Test func progressIsSavedAndPublishedInOrder() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let submission = try await claimed(service)
        let watcher = Watcher(await service.events.subscribe(submission.id))
        let judge = ScriptedJudge(
            [
                .init(
                    steps: [.compiling, .compiled(output: "main.c:1: warning: unused"), .test(Self.result(1, .AC)), .test(Self.result(2, .WA))],
                    outcome: JudgeOutcome(
                        verdict: .WA, failedTest: 2, compileOutput: "main.c:1: warning: unused",
                        tests: [Self.result(1, .AC), Self.result(2, .WA)]))
            ],
            afterStep: { _ in await watcher.take() })

        await service.judgeOne(submission, judge: judge)
        await watcher.take()

        let saved = await store.progressLog
        #expect(saved.map(\.state) == [.compiling, .running, .running, .running])
        #expect(saved.map(\.compileOutput) == [nil, "main.c:1: warning: unused", "main.c:1: warning: unused", "main.c:1: warning: unused"])
        #expect(saved.map { $0.tests.map(\.n) } == [[], [], [1], [1, 2]])
        #expect(saved.allSatisfy { $0.id == submission.id && $0.verdict == nil })

        let published = await watcher.seen
        #expect(published.map(\.state) == [.compiling, .running, .running, .running, .done])
        #expect(Array(published.prefix(4)) == saved, "every saved step is published as saved")

        let finished = await store.finished
        #expect(finished.count == 1)
        let done = try #require(finished.first)
        #expect(published.last == done)
        #expect(done.state == .done)
        #expect(done.verdict == .WA)
        #expect(done.failedTest == 2)
        #expect(done.tests == [Self.result(1, .AC), Self.result(2, .WA)])
        #expect(done.compileOutput == "main.c:1: warning: unused")
        #expect(done.internalError == nil)
        #expect(done.startedAt != nil && done.finishedAt != nil)

        // What the judge was asked to run.
        let request = try #require(await judge.log.requests.first)
        #expect(request.source == Self.program)
        #expect(request.language == Self.c)
        #expect(request.bundle.challenge.slug == "sum")
        #expect(request.labels["breakfix.submission"] == submission.id)
        #expect(await judge.calls == 1)
    }

    @Test func aCompilerWithNothingToSayLeavesNoCompileOutput() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let submission = try await claimed(service)
        let judge = ScriptedJudge([
            .init(steps: [.compiling, .compiled(output: "")], outcome: JudgeOutcome(verdict: .CE, compileOutput: "main.c:1: error"))
        ])
        await service.judgeOne(submission, judge: judge)
        #expect(await store.progressLog.map(\.compileOutput) == [nil, nil])
        let done = try #require(await store.finished.first)
        #expect(done.verdict == .CE)
        #expect(done.compileOutput == "main.c:1: error")
        #expect(done.failedTest == nil)
    }

    @Test func anInternalErrorIsRetriedOnceThenReported() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let submission = try await claimed(service)
        let judge = ScriptedJudge([
            .init(steps: [.compiling], outcome: JudgeOutcome(verdict: .IE, internalError: "docker is down (1)")),
            .init(steps: [.compiling], outcome: JudgeOutcome(verdict: .IE, internalError: "docker is down (2)")),
            .init(steps: [], outcome: JudgeOutcome(verdict: .AC)),
        ])
        await service.judgeOne(submission, judge: judge)
        #expect(await judge.calls == 2, "one retry, not more")
        let done = try #require(await store.finished.first)
        #expect(await store.finished.count == 1)
        #expect(done.state == .done)
        #expect(done.verdict == .IE)
        #expect(done.internalError == "docker is down (2)")
        #expect(try await store.submission(id: submission.id)?.verdict == .IE)
    }

    @Test func aRetryThatSucceedsGivesItsVerdict() async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let submission = try await claimed(service)
        let judge = ScriptedJudge([
            .init(steps: [.compiling, .compiled(output: ""), .test(Self.result(1, .AC))],
                  outcome: JudgeOutcome(verdict: .IE, tests: [Self.result(1, .AC)], internalError: "container vanished")),
            .init(steps: [.compiling, .compiled(output: ""), .test(Self.result(1, .AC)), .test(Self.result(2, .AC)), .test(Self.result(3, .AC))],
                  outcome: JudgeOutcome(verdict: .AC, tests: [Self.result(1, .AC), Self.result(2, .AC), Self.result(3, .AC)])),
        ])
        await service.judgeOne(submission, judge: judge)
        #expect(await judge.calls == 2)
        let done = try #require(await store.finished.first)
        #expect(done.verdict == .AC)
        #expect(done.internalError == nil, "the first attempt's internal error is not kept")
        #expect(done.tests.map(\.n) == [1, 2, 3])
        // The retry starts its progress afresh: no test of the failed attempt is carried over.
        #expect(await store.progressLog.map { $0.tests.map(\.n) } == [[], [], [1], [], [], [1], [1, 2], [1, 2, 3]])
    }

    @Test(arguments: [Verdict.AC, .WA, .TLE, .MLE, .RE, .CE, .OLE])
    func aVerdictOtherThanIEIsNotRetried(_ verdict: Verdict) async throws {
        let store = MemorySubmissionStore()
        let service = Self.service(store: store)
        let submission = try await claimed(service)
        let judge = ScriptedJudge([.init(steps: [], outcome: JudgeOutcome(verdict: verdict)), .init(steps: [], outcome: JudgeOutcome(verdict: .AC))])
        await service.judgeOne(submission, judge: judge)
        #expect(await judge.calls == 1)
        #expect(await store.finished.map(\.verdict) == [verdict])
    }

    /// A worker configured without the submission's language (or challenge) reports IE without
    /// calling the judge.
    @Test func aWorkerThatDoesNotKnowTheLanguageReportsIE() async throws {
        let store = MemorySubmissionStore()
        let submitter = Self.service(store: store)
        let submission = try await claimed(submitter, language: "python3")
        let worker = Self.service(store: store, languages: [Self.c])
        let judge = ScriptedJudge([.init(steps: [], outcome: JudgeOutcome(verdict: .AC))])
        await worker.judgeOne(submission, judge: judge)
        #expect(await judge.calls == 0)
        let done = try #require(await store.finished.first)
        #expect(done.verdict == .IE)
        #expect(done.state == .done)
        #expect(done.internalError?.contains("python3") == true)
    }
}
