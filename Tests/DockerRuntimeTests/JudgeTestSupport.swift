import BreakfixCore
import Foundation
import Testing
import Yams

@testable import DockerRuntime

/// The repository's `languages.yaml`, read the way the real loader will (a minimal reading of the
/// same keys: the tests must judge with exactly what operators get).
enum LanguagesFile {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("languages.yaml")

    static let all: [String: LanguageSpec] = {
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let entries = try Yams.load(yaml: text) as? [[String: Any]] else {
                fatalError("languages.yaml is not a list")
            }
            return Dictionary(
                uniqueKeysWithValues: try entries.map { entry in
                    let spec = try spec(entry)
                    return (spec.id, spec)
                })
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    static func language(_ id: String) -> LanguageSpec {
        guard let spec = all[id] else { fatalError("no language \(id) in languages.yaml") }
        return spec
    }

    struct Invalid: Error { let message: String }

    static func spec(_ entry: [String: Any]) throws -> LanguageSpec {
        func string(_ key: String) throws -> String {
            guard let value = entry[key] else { throw Invalid(message: "missing \(key)") }
            return "\(value)"
        }
        func strings(_ key: String) -> [String]? { (entry[key] as? [Any])?.map { "\($0)" } }
        return LanguageSpec(
            id: try string("id"), name: try string("name"), image: try string("image"),
            sourceFile: try string("source"),
            extensions: strings("extensions") ?? [], compile: strings("compile"), run: strings("run") ?? [],
            version: strings("version") ?? [], compileTime: duration(entry["compile_time"]) ?? .seconds(30),
            compileMemoryBytes: bytes(entry["compile_memory"]) ?? 1 << 30,
            timeFactor: (entry["time_factor"] as? Double) ?? Double("\(entry["time_factor"] ?? 1)") ?? 1,
            memoryExtraBytes: bytes(entry["memory_extra"]) ?? 0, pids: (entry["pids"] as? Int) ?? 64,
            environment: strings("env") ?? [], template: (entry["template"] as? String) ?? "")
    }

    static func duration(_ value: Any?) -> Duration? {
        guard let text = value.map({ "\($0)" }), let number = Double(text.dropLast()) else { return nil }
        switch text.last {
        case "s": return .milliseconds(Int64(number * 1000))
        case "m": return .seconds(Int64(number * 60))
        default: return nil
        }
    }

    static func bytes(_ value: Any?) -> Int64? {
        guard let text = value.map({ "\($0)".lowercased() }) else { return nil }
        if let plain = Int64(text) { return plain }
        guard let number = Int64(text.dropLast()) else { return nil }
        switch text.last {
        case "k": return number << 10
        case "m": return number << 20
        case "g": return number << 30
        default: return nil
        }
    }
}

/// A challenge built in code: `tests` are (input, expected) pairs.
func testBundle(
    _ tests: [(String, String)],
    limits: ChallengeLimits = ChallengeLimits(
        cpuTime: .seconds(1), wallTime: .seconds(3), memoryBytes: 128 << 20, outputBytes: 1 << 20),
    checker: CheckerKind = .tokens, customChecker: CustomChecker? = nil, scoring: ScoringMode = .first
) -> ChallengeBundle {
    ChallengeBundle(
        challenge: Challenge(
            slug: "judge-test", title: "Judge test", difficulty: .easy, limits: limits, checker: checker,
            statement: "", scoring: scoring),
        directory: URL(fileURLWithPath: "/nonexistent"),
        tests: tests.enumerated().map { index, test in
            ChallengeTest(
                number: index + 1, name: String(format: "%02d", index + 1), input: Array(test.0.utf8),
                expected: Array(test.1.utf8), isSample: index == 0)
        },
        customChecker: customChecker, solutions: [], contentHash: "test")
}

/// The a + b challenge every language's programs are judged against.
let sumTests = [("1 2\n", "3\n"), ("40 2\n", "42\n"), ("-5 5\n", "0\n")]

/// Collects progress events.
actor ProgressLog {
    private(set) var events: [JudgeProgress] = []
    func add(_ event: JudgeProgress) { events.append(event) }
}

struct Judged {
    var outcome: JudgeOutcome
    var progress: [JudgeProgress]
    var elapsed: Duration
}

/// At most this many submissions are judged at once by the tests: the suites run in parallel on
/// two cores, and with every submission at once (measured: load 16) a g++ compile of
/// `bits/stdc++.h` passed its 30 s wall limit and an endless loop got 0.9 s of CPU in 10 s.
actor JudgeSlots {
    static let shared = JudgeSlots(3)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Judges one submission with a fresh judge, labelled `breakfix.test=<tag>`, then checks that
/// no container of that tag is left.
func judge(
    _ source: String, in languageID: String, _ bundle: ChallengeBundle, tag: String = uniqueTag("judge"),
    judge: DockerJudge? = nil, onProgress: (@Sendable (JudgeProgress) async -> Void)? = nil
) async throws -> Judged {
    let judgeToUse = judge ?? DockerJudge(languages: Array(LanguagesFile.all.values))
    let log = ProgressLog()
    let clock = ContinuousClock()
    await JudgeSlots.shared.acquire()
    let started = clock.now
    let outcome = await judgeToUse.judge(
        JudgeRequest(
            bundle: bundle, language: LanguagesFile.language(languageID), source: source,
            labels: [TestEnvironment.testLabel: tag])
    ) { event in
        await log.add(event)
        await onProgress?(event)
    }
    let elapsed = clock.now - started
    await JudgeSlots.shared.release()
    if judge == nil { try await judgeToUse.shutdown() }
    try await withRuntime { runtime in try await expectNothingLeft(runtime, tag: tag) }
    return Judged(outcome: outcome, progress: await log.events, elapsed: elapsed)
}

/// Host pids whose command line contains `marker` (every process on the host, via /proc).
func hostProcesses(containing marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
    }
}
