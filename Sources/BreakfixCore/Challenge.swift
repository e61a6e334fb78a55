import Foundation

/// The answer of the judge for a whole submission, or for one test.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// Accepted: every test's output matched.
    case AC
    /// Wrong answer.
    case WA
    /// Time limit exceeded: CPU time over `limits.time`, or wall time over `limits.wall`.
    case TLE
    /// Memory limit exceeded: peak memory reached `limits.memory` (or the kernel killed it for memory).
    case MLE
    /// Runtime error: a non-zero exit code or a signal.
    case RE
    /// Compilation error.
    case CE
    /// Output limit exceeded.
    case OLE
    /// Internal error: the judge failed, never the user's fault.
    case IE

    /// The prefix of a reference solution's file name that declares this verdict (`ac-`, `wa-`, …).
    public var solutionPrefix: String { rawValue.lowercased() + "-" }

    public var sentence: String {
        switch self {
        case .AC: return "Accepted"
        case .WA: return "Wrong answer"
        case .TLE: return "Time limit exceeded"
        case .MLE: return "Memory limit exceeded"
        case .RE: return "Runtime error"
        case .CE: return "Compilation error"
        case .OLE: return "Output limit exceeded"
        case .IE: return "Internal error"
        }
    }
}

/// How a test's output is compared with the expected one.
public enum CheckerKind: Sendable, Equatable, CustomStringConvertible {
    /// Byte for byte, except that trailing whitespace at the end of the output is ignored.
    case exact
    /// The same whitespace-separated tokens.
    case tokens
    /// Tokens; a token that parses as a number may differ by at most this absolute or relative error.
    case float(Double)
    /// The challenge's own `checker.py` or `checker.c`, run in its own sandbox.
    case custom

    public var description: String {
        switch self {
        case .exact: return "exact"
        case .tokens: return "tokens"
        case .float(let epsilon): return "float:\(epsilon)"
        case .custom: return "custom"
        }
    }
}

/// Stop at the first failing test (the default), or run every test for a partial score.
public enum ScoringMode: String, Sendable, Codable, CaseIterable {
    case first, all
}

/// Per-test limits of a challenge (`limits:` in `challenge.yaml`).
public struct ChallengeLimits: Sendable, Equatable, Codable {
    /// CPU time per test.
    public var cpuTime: Duration
    /// Wall-clock time per test.
    public var wallTime: Duration
    public var memoryBytes: Int64
    /// stdout + stderr bytes per test.
    public var outputBytes: Int64

    public init(cpuTime: Duration, wallTime: Duration, memoryBytes: Int64, outputBytes: Int64) {
        self.cpuTime = cpuTime
        self.wallTime = wallTime
        self.memoryBytes = memoryBytes
        self.outputBytes = outputBytes
    }

    public static let `default` = ChallengeLimits(
        cpuTime: .seconds(1), wallTime: .seconds(3), memoryBytes: 256 << 20, outputBytes: 1 << 20)
}

/// The metadata of one code challenge, as its author wrote it in `challenge.yaml`.
public struct Challenge: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var difficulty: Difficulty
    public var tags: [String]
    public var limits: ChallengeLimits
    public var checker: CheckerKind
    /// The language ids allowed; `nil` allows every configured language.
    public var languages: [String]?
    /// Markdown.
    public var statement: String
    public var scoring: ScoringMode

    public init(
        slug: String, title: String, difficulty: Difficulty, tags: [String] = [], limits: ChallengeLimits = .default,
        checker: CheckerKind = .tokens, languages: [String]? = nil, statement: String, scoring: ScoringMode = .first
    ) {
        self.slug = slug
        self.title = title
        self.difficulty = difficulty
        self.tags = tags
        self.limits = limits
        self.checker = checker
        self.languages = languages
        self.statement = statement
        self.scoring = scoring
    }

    public func allows(language id: String) -> Bool { languages?.contains(id) ?? true }
}

/// One test case: `tests/NN.in` + `tests/NN.out` (hidden) or `samples/NN.in` + `NN.out` (shown).
public struct ChallengeTest: Sendable, Equatable {
    /// 1-based position in the order the judge runs them (samples first).
    public var number: Int
    /// The file stem, e.g. `01`.
    public var name: String
    public var input: [UInt8]
    public var expected: [UInt8]
    public var isSample: Bool

    public init(number: Int, name: String, input: [UInt8], expected: [UInt8], isSample: Bool) {
        self.number = number
        self.name = name
        self.input = input
        self.expected = expected
        self.isSample = isSample
    }
}

/// A custom checker's program (`checker.py` or `checker.c`).
public struct CustomChecker: Sendable, Equatable {
    /// `checker.py` or `checker.c`.
    public var fileName: String
    public var source: [UInt8]
    /// The language it runs as (`python3` or `c`).
    public var language: String

    public init(fileName: String, source: [UInt8], language: String) {
        self.fileName = fileName
        self.source = source
        self.language = language
    }
}

/// A reference program in `solutions/`, whose file name starts with the verdict it must get.
public struct ReferenceSolution: Sendable, Equatable {
    public var fileName: String
    public var expected: Verdict
    /// The language id, from the file's extension.
    public var language: String
    public var source: String

    public init(fileName: String, expected: Verdict, language: String, source: String) {
        self.fileName = fileName
        self.expected = expected
        self.language = language
        self.source = source
    }
}

/// A challenge with its tests, checker and reference solutions.
public struct ChallengeBundle: Sendable, Equatable {
    public var challenge: Challenge
    public var directory: URL
    /// Samples (shown) then hidden tests, numbered from 1 in that order.
    public var tests: [ChallengeTest]
    public var customChecker: CustomChecker?
    public var solutions: [ReferenceSolution]
    public var contentHash: String

    public init(
        challenge: Challenge, directory: URL, tests: [ChallengeTest], customChecker: CustomChecker?,
        solutions: [ReferenceSolution], contentHash: String
    ) {
        self.challenge = challenge
        self.directory = directory
        self.tests = tests
        self.customChecker = customChecker
        self.solutions = solutions
        self.contentHash = contentHash
    }

    public var samples: [ChallengeTest] { tests.filter(\.isSample) }
}

/// A programming language the judge can compile and run (one entry of `languages.yaml`).
public struct LanguageSpec: Sendable, Equatable, Codable {
    /// `c`, `cpp`, `python3`, …
    public var id: String
    /// Shown in the language picker, e.g. `C (gcc)`.
    public var name: String
    /// A local image (built by `make setup`).
    public var image: String
    /// The file the source is written to in the work directory, e.g. `main.c`, `Main.java`.
    public var sourceFile: String
    /// File extensions of reference solutions in this language (`c`; `cpp`, `cc`).
    public var extensions: [String]
    /// Run in the work directory; `nil` for interpreted languages.
    public var compile: [String]?
    /// Run once per test in the work directory, the test's input on stdin.
    public var run: [String]
    /// Prints the toolchain's version (first line kept) for `GET /api/languages`.
    public var version: [String]
    /// Limits of the compile step.
    public var compileTime: Duration
    public var compileMemoryBytes: Int64
    /// The challenge's CPU and wall limits are multiplied by this (a JVM needs longer than C).
    public var timeFactor: Double
    /// Added to the challenge's memory limit (a runtime's own baseline, such as the JVM's).
    public var memoryExtraBytes: Int64
    /// Processes and threads a program may have at once (the JVM and Go runtime need threads).
    public var pids: Int
    /// Environment for compile and run (e.g. `HOME=/work`, `GOCACHE=/work/.cache`).
    public var environment: [String]
    /// The starter shown in the editor.
    public var template: String

    public init(
        id: String, name: String, image: String, sourceFile: String, extensions: [String], compile: [String]?,
        run: [String], version: [String], compileTime: Duration = .seconds(30), compileMemoryBytes: Int64 = 1 << 30,
        timeFactor: Double = 1, memoryExtraBytes: Int64 = 0, pids: Int = 64, environment: [String] = [],
        template: String = ""
    ) {
        self.id = id
        self.name = name
        self.image = image
        self.sourceFile = sourceFile
        self.extensions = extensions
        self.compile = compile
        self.run = run
        self.version = version
        self.compileTime = compileTime
        self.compileMemoryBytes = compileMemoryBytes
        self.timeFactor = timeFactor
        self.memoryExtraBytes = memoryExtraBytes
        self.pids = pids
        self.environment = environment
        self.template = template
    }
}

/// What the judge measured for one test.
public struct TestResult: Sendable, Equatable, Codable {
    public var n: Int
    public var verdict: Verdict
    public var cpuMs: Int
    public var wallMs: Int
    public var memoryKB: Int
    /// For RE the signal name or exit code (`SIGSEGV`, `exit code 3`); for WA from a custom
    /// checker its one line of feedback (only shown for samples).
    public var detail: String?

    public init(n: Int, verdict: Verdict, cpuMs: Int, wallMs: Int, memoryKB: Int, detail: String? = nil) {
        self.n = n
        self.verdict = verdict
        self.cpuMs = cpuMs
        self.wallMs = wallMs
        self.memoryKB = memoryKB
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case n, verdict, detail
        case cpuMs = "cpu_ms"
        case wallMs = "wall_ms"
        case memoryKB = "memory_kb"
    }
}

/// One submission to judge.
public struct JudgeRequest: Sendable {
    public var bundle: ChallengeBundle
    public var language: LanguageSpec
    public var source: String
    /// Labels for the sandbox (owner, submission id), so the reaper can find it.
    public var labels: [String: String]

    public init(bundle: ChallengeBundle, language: LanguageSpec, source: String, labels: [String: String] = [:]) {
        self.bundle = bundle
        self.language = language
        self.source = source
        self.labels = labels
    }
}

/// Progress reported while judging, in order: compiled (if the language compiles), then each test.
public enum JudgeProgress: Sendable, Equatable {
    case compiling
    case compiled(output: String)
    case test(TestResult)
}

/// The judge's final answer.
public struct JudgeOutcome: Sendable, Equatable {
    public var verdict: Verdict
    /// The number of the first test that did not pass (`nil` for AC, CE and IE).
    public var failedTest: Int?
    /// The compiler's output (capped at 64 KiB), for CE and for warnings.
    public var compileOutput: String?
    public var tests: [TestResult]
    /// For IE: what went wrong, for the operator's log.
    public var internalError: String?

    public init(
        verdict: Verdict, failedTest: Int? = nil, compileOutput: String? = nil, tests: [TestResult] = [],
        internalError: String? = nil
    ) {
        self.verdict = verdict
        self.failedTest = failedTest
        self.compileOutput = compileOutput
        self.tests = tests
        self.internalError = internalError
    }

    /// Tests passed out of the total (the partial score of `scoring: all`).
    public var passed: Int { tests.filter { $0.verdict == .AC }.count }
}

/// Compiles and runs submissions. `DockerJudge` is the real one.
public protocol Judge: Sendable {
    /// Judges one submission. Failures of the judge itself are reported as `IE` in the outcome,
    /// not thrown; it throws only when cancelled.
    func judge(_ request: JudgeRequest, progress: @escaping @Sendable (JudgeProgress) async -> Void) async
        -> JudgeOutcome
    /// The first line of each language's version command (`gcc (Debian 12.2.0-14) 12.2.0`).
    func versions(of languages: [LanguageSpec]) async -> [String: String]
    /// Removes sandboxes a judge killed mid-submission left behind (older than any judging
    /// lasts); returns how many.
    func removeAbandonedSandboxes(olderThan: Duration) async -> Int
}

extension Judge {
    public func removeAbandonedSandboxes(olderThan: Duration) async -> Int { 0 }
}
