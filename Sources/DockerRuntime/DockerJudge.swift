import BreakfixCore
import Foundation
import Logging

/// `Judge` on a local Docker Engine. Each submission gets a fresh, hardened container of its
/// language's image (no network, no capabilities, read-only root, nobody, tmpfs `/work`); the
/// source goes in through an exec's stdin, the compiler runs under its own limits, then each
/// test runs as one exec with its input on stdin, measured from the container's cgroup (CPU
/// time, peak memory, OOM kills) and killed at its limits. Outputs are compared outside; a
/// custom checker runs in a sandbox of its own. The containers are removed whatever happens.
///
/// Requirement: the process runs as root on the engine's host (cgroup files and host pids).
/// Call `shutdown()` once when done.
public final class DockerJudge: Judge {
    public let endpoint: DockerEndpoint
    public let enforceDiskLimit: Bool
    let client: DockerClient
    let logger: Logger
    /// Languages a custom checker may be written in, by id (`c`, `python3`).
    let checkerLanguages: [String: LanguageSpec]

    /// Compiler output kept (and shown) at most.
    static let compileOutputLimit = 64 << 10
    /// Limits of a custom checker's run.
    static let checkerLimits = JudgeContainerConfig.Limits(memoryBytes: 512 << 20, pids: 64, stackBytes: 64 << 20)
    static let checkerWall: Duration = .seconds(10)
    /// Processes the compiler may have (gcc's driver, `go build`'s tools, javac's threads).
    static let compilePids = 256
    /// The container's limit while a test runs is the program's memory + what the container
    /// holds + this: room for the page cache of the program's binary and libraries (an
    /// interpreter's several MiB), so that the judge's own poll, not thrashing, ends a program
    /// that outgrows its memory.
    static let runSlack: Int64 = 16 << 20
    /// The container's limit while the source is written, before `update` sets the run's.
    static let setupHeadroom: Int64 = 32 << 20

    /// - Parameter languages: the configured languages; custom checkers run as the one whose id
    ///   the bundle names (`c`, `python3`). Missing ones fall back to `builtinCheckerLanguages`.
    public init(
        endpoint: DockerEndpoint = DockerEndpoint(), enforceDiskLimit: Bool = false, languages: [LanguageSpec] = [],
        logger: Logger = Logger(label: "breakfix.judge")
    ) {
        self.endpoint = endpoint
        self.enforceDiskLimit = enforceDiskLimit
        self.logger = logger
        self.client = DockerClient(endpoint: endpoint, logger: logger)
        var checkers = Dictionary(uniqueKeysWithValues: Self.builtinCheckerLanguages.map { ($0.id, $0) })
        for language in languages { checkers[language.id] = language }
        self.checkerLanguages = checkers
    }

    /// A judge on the engine named by `DOCKER_HOST` (unix sockets only), or the default socket.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, enforceDiskLimit: Bool = false,
        languages: [LanguageSpec] = [], logger: Logger = Logger(label: "breakfix.judge")
    ) throws -> DockerJudge {
        DockerJudge(
            endpoint: try DockerEndpoint.fromEnvironment(environment), enforceDiskLimit: enforceDiskLimit,
            languages: languages, logger: logger)
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// The `c` and `python3` entries of `languages.yaml`, for custom checkers when the caller
    /// passes no languages.
    public static let builtinCheckerLanguages: [LanguageSpec] = [
        LanguageSpec(
            id: "c", name: "C (gcc)", image: "breakfix/lang-native:bookworm", sourceFile: "main.c", extensions: ["c"],
            compile: ["gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"], run: ["./main"],
            version: ["gcc", "--version"]),
        LanguageSpec(
            id: "python3", name: "Python 3", image: "breakfix/lang-python:bookworm", sourceFile: "main.py",
            extensions: ["py"], compile: nil, run: ["python3", "main.py"], version: ["python3", "--version"],
            environment: ["PYTHONDONTWRITEBYTECODE=1"]),
    ]

    // MARK: Judge

    public func judge(_ request: JudgeRequest, progress: @escaping @Sendable (JudgeProgress) async -> Void) async
        -> JudgeOutcome
    {
        var failure: (any Error)?
        for attempt in 1...2 {
            if Task.isCancelled { return Self.cancelled }
            do {
                return try await judgeOnce(request, progress: progress)
            } catch {
                if Task.isCancelled || error is CancellationError { return Self.cancelled }
                failure = error
                logger.error(
                    "judge attempt \(attempt) of 2 failed",
                    metadata: [
                        "challenge": "\(request.bundle.challenge.slug)", "language": "\(request.language.id)",
                        "error": "\(error)",
                    ])
            }
        }
        return JudgeOutcome(verdict: .IE, internalError: failure.map { "\($0)" } ?? "unknown failure")
    }

    static let cancelled = JudgeOutcome(verdict: .IE, internalError: "the judging was cancelled")

    public func versions(of languages: [LanguageSpec]) async -> [String: String] {
        var versions: [String: String] = [:]
        let byImage = Dictionary(grouping: languages, by: \.image)
        for (image, group) in byImage.sorted(by: { $0.key < $1.key }) {
            let sandbox: JudgeSandbox
            do {
                sandbox = try await JudgeSandbox.create(
                    client: client, image: image, labels: [:], kind: "judge-version",
                    limits: .init(memoryBytes: 512 << 20, pids: Self.compilePids, stackBytes: 8 << 20),
                    enforceDiskLimit: enforceDiskLimit)
            } catch {
                logger.warning("no versions for the languages of \(image): \(error)")
                continue
            }
            for language in group {
                do {
                    let run = try await sandbox.run(
                        language.version, stdin: [], environment: language.environment,
                        limits: .init(
                            wall: .seconds(20), cpu: nil, outputBytes: 1 << 20, keepBytes: 4096, mergeStderr: true))
                    let line = String(decoding: run.output, as: UTF8.self).split(separator: "\n")
                        .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
                    if run.exitCode == 0, let line {
                        versions[language.id] = line
                    } else {
                        logger.warning(
                            "\(language.id): `\(language.version.joined(separator: " "))` failed (exit \(run.exitCode))"
                        )
                    }
                } catch {
                    logger.warning("\(language.id): `\(language.version.joined(separator: " "))` failed: \(error)")
                }
            }
            await sandbox.destroy()
        }
        return versions
    }

    // MARK: One attempt

    func judgeOnce(_ request: JudgeRequest, progress: @escaping @Sendable (JudgeProgress) async -> Void) async throws
        -> JudgeOutcome
    {
        let language = request.language
        let challenge = request.bundle.challenge
        let limits = TestLimits(challenge: challenge.limits, language: language)
        let stack = max(8 << 20, limits.memoryBytes)
        let runLimits = JudgeContainerConfig.Limits(
            memoryBytes: limits.memoryBytes + Self.setupHeadroom, pids: language.pids, stackBytes: stack)
        let compileLimits = JudgeContainerConfig.Limits(
            memoryBytes: max(language.compileMemoryBytes, runLimits.memoryBytes),
            pids: max(Self.compilePids, language.pids),
            stackBytes: stack)

        let sandbox = try await JudgeSandbox.create(
            client: client, image: language.image, labels: request.labels, kind: JudgeContainerConfig.submissionKind,
            limits: language.compile == nil ? runLimits : compileLimits, enforceDiskLimit: enforceDiskLimit)
        var checker: CheckerSandbox?
        do {
            let outcome = try await judge(
                request, in: sandbox, limits: limits, runLimits: runLimits, checker: &checker, progress: progress)
            await checker?.sandbox.destroy()
            await sandbox.destroy()
            return outcome
        } catch {
            await checker?.sandbox.destroy()
            await sandbox.destroy()
            throw error
        }
    }

    private func judge(
        _ request: JudgeRequest, in sandbox: JudgeSandbox, limits: TestLimits, runLimits: JudgeContainerConfig.Limits,
        checker: inout CheckerSandbox?, progress: @escaping @Sendable (JudgeProgress) async -> Void
    ) async throws -> JudgeOutcome {
        let language = request.language
        let challenge = request.bundle.challenge

        // The source, through stdin: `docker cp` cannot write into a tmpfs. This first exec also
        // tells what an exec costs in CPU before its program starts: runc's own init runs in the
        // container's cgroup (measured: 12–22 ms per exec), and the cgroup cannot tell it from
        // the program, so it is subtracted from every test. (A dedicated `prlimit -- true` exec
        // gave the same figure within a millisecond, for one exec more per submission.)
        let overhead = try await write(Array(request.source.utf8), to: language.sourceFile, in: sandbox)

        var compileOutput: String?
        if let compile = language.compile {
            await progress(.compiling)
            let compiled = try await sandbox.run(
                Self.compileCommand(compile), stdin: [], environment: language.environment,
                limits: .init(
                    wall: language.compileTime, cpu: nil, outputBytes: 1 << 20, keepBytes: Self.compileOutputLimit,
                    mergeStderr: true))
            var text = String(decoding: compiled.output, as: UTF8.self)
            if compiled.killedFor == .wall {
                return JudgeOutcome(
                    verdict: .CE,
                    compileOutput: text
                        + "\nCompilation took longer than \(Self.seconds(language.compileTime)) and was stopped.")
            }
            if compiled.oomKilled {
                return JudgeOutcome(
                    verdict: .CE,
                    compileOutput: text + "\nThe compiler ran out of memory (\(language.compileMemoryBytes >> 20) MiB)."
                )
            }
            if compiled.killedFor == .output { text += "\n(compiler output cut)" }
            if compiled.exitCode != 0 { return JudgeOutcome(verdict: .CE, compileOutput: text) }
            compileOutput = text
            await progress(.compiled(output: text))
        }
        // Down to the run's limits: the program's memory on top of what the container holds and
        // cannot give back (the compiled program and the source in /work, init's memory), and
        // the language's pids. The compiler's page cache is dropped first, so that it neither
        // counts as the program's peak nor leaves it room beyond its limit.
        let held = try sandbox.cgroup.unreclaimableBytes()
        let runMemory = (limits.memoryBytes + held + Self.runSlack + (1 << 20) - 1) & ~((1 << 20) - 1)
        sandbox.cgroup.dropPageCache(keeping: held + Self.runSlack)
        try await sandbox.update(.init(memoryBytes: runMemory, pids: runLimits.pids, stackBytes: runLimits.stackBytes))

        let run = ["prlimit", "--cpu=\(limits.cpuBackstopSeconds)", "--"] + language.run
        var results: [TestResult] = []
        for test in request.bundle.tests {
            try Task.checkCancellation()
            let measured = try await sandbox.run(
                run, stdin: test.input, environment: language.environment,
                limits: .init(
                    wall: limits.wall, cpu: limits.cpu, memoryBytes: limits.memoryBytes,
                    outputBytes: limits.outputBytes,
                    keepBytes: Int(min(limits.outputBytes, Int64(Int.max))), mergeStderr: false,
                    cpuOverheadNanoseconds: overhead))
            var outcome = TestVerdict.beforeComparison(measured, limits: limits)
            if outcome == nil {
                if challenge.checker == .custom {
                    if checker == nil { checker = try await makeChecker(request) }
                    outcome = try await checker!.check(
                        input: test.input, expected: test.expected, actual: measured.output)
                } else {
                    let matches = OutputComparison.matches(
                        expected: test.expected, actual: measured.output, kind: challenge.checker)
                    outcome = (matches ? .AC : .WA, nil)
                }
            }
            let result = TestResult(
                n: test.number, verdict: outcome!.0, cpuMs: Self.milliseconds(measured.cpu),
                wallMs: Self.milliseconds(measured.wall), memoryKB: Int(measured.peakBytes / 1024), detail: outcome!.1)
            results.append(result)
            await progress(.test(result))
            if result.verdict != .AC, challenge.scoring == .first { break }
        }
        let failed = results.first { $0.verdict != .AC }
        return JudgeOutcome(
            verdict: failed?.verdict ?? .AC, failedTest: failed?.n, compileOutput: compileOutput, tests: results)
    }

    /// The compiler, then `/tmp` emptied (build caches such as Go's must not count against the
    /// program's memory: tmpfs pages are charged to the container), keeping the compiler's status.
    static func compileCommand(_ compile: [String]) -> [String] {
        ["/bin/sh", "-c", "\"$@\"; status=$?; find /tmp -mindepth 1 -delete 2>/dev/null; exit $status", "sh"] + compile
    }

    /// Writes `bytes` to `/work/<name>` through an exec's stdin; returns the exec's CPU overhead.
    func write(_ bytes: [UInt8], to name: String, in sandbox: JudgeSandbox) async throws -> UInt64 {
        let written = try await sandbox.run(
            ["/bin/sh", "-c", "cat > \"$0\"", name], stdin: bytes, environment: [],
            limits: .init(wall: .seconds(20), cpu: nil, outputBytes: 64 << 10, keepBytes: 4096, mergeStderr: true))
        guard written.exitCode == 0, written.killedFor == nil else {
            throw JudgeFailure(
                "writing \(name) into the judge container failed (exit \(written.exitCode)): \(String(decoding: written.output, as: UTF8.self))"
            )
        }
        // `cat` itself costs well under a millisecond; the rest is runc's. Capped, in case this one
        // exec was slowed down by a busy host.
        return min(written.rawCPUNanoseconds, 30_000_000)
    }

    // MARK: Custom checker

    struct CheckerSandbox: Sendable {
        let sandbox: JudgeSandbox
        let language: LanguageSpec

        /// Input, expected and actual output as files in the checker's own sandbox; argv = their paths.
        func check(input: [UInt8], expected: [UInt8], actual: [UInt8]) async throws -> (Verdict, String?) {
            let script =
                "head -c \"$1\" > /work/input && head -c \"$2\" > /work/expected && cat > /work/output && shift 2 && exec \"$@\" /work/input /work/expected /work/output"
            let run = try await sandbox.run(
                ["/bin/sh", "-c", script, "sh", String(input.count), String(expected.count)] + language.run,
                stdin: input + expected + actual, environment: language.environment,
                limits: .init(
                    wall: DockerJudge.checkerWall, cpu: DockerJudge.checkerWall, outputBytes: 64 << 10,
                    keepBytes: 64 << 10,
                    mergeStderr: false))
            guard run.killedFor == nil, let answer = TestVerdict.checkerAnswer(run.output) else {
                throw JudgeFailure(
                    "the custom checker answered neither OK nor NO (exit \(run.exitCode)\(run.killedFor.map { ", killed for \($0)" } ?? "")): \(String(decoding: run.output.prefix(200), as: UTF8.self))"
                )
            }
            return answer
        }
    }

    func makeChecker(_ request: JudgeRequest) async throws -> CheckerSandbox {
        guard let custom = request.bundle.customChecker else {
            throw JudgeFailure(
                "the challenge \(request.bundle.challenge.slug) has `checker: custom` but no checker program")
        }
        guard let language = checkerLanguages[custom.language] else {
            throw JudgeFailure(
                "no language `\(custom.language)` is configured to run the custom checker \(custom.fileName)")
        }
        var labels = request.labels
        labels[SandboxLabel.managed] = "true"
        let sandbox = try await JudgeSandbox.create(
            client: client, image: language.image, labels: labels, kind: JudgeContainerConfig.checkerKind,
            limits: language.compile == nil
                ? Self.checkerLimits
                : .init(
                    memoryBytes: max(language.compileMemoryBytes, Self.checkerLimits.memoryBytes),
                    pids: Self.compilePids,
                    stackBytes: Self.checkerLimits.stackBytes),
            enforceDiskLimit: enforceDiskLimit)
        do {
            _ = try await write(custom.source, to: language.sourceFile, in: sandbox)
            if let compile = language.compile {
                let compiled = try await sandbox.run(
                    Self.compileCommand(compile), stdin: [], environment: language.environment,
                    limits: .init(
                        wall: language.compileTime, cpu: nil, outputBytes: 1 << 20, keepBytes: 4096, mergeStderr: true))
                guard compiled.exitCode == 0, compiled.killedFor == nil else {
                    throw JudgeFailure(
                        "the custom checker \(custom.fileName) does not compile: \(String(decoding: compiled.output, as: UTF8.self))"
                    )
                }
            }
            return CheckerSandbox(sandbox: sandbox, language: language)
        } catch {
            await sandbox.destroy()
            throw error
        }
    }

    // MARK: Helpers

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
