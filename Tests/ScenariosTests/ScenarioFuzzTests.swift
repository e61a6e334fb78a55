import BreakfixCore
import Foundation
import Testing

@testable import Scenarios

/// A small seeded generator (SplitMix64): the same inputs on every run, so a failure is replayable
/// from its index.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Malformed `scenario.yaml` texts made by mutating a valid one.
enum ScenarioMutator {
    static let tokens = [
        ":", ": ", "- ", "-", "{", "}", "[", "]", ",", "&anchor ", "*anchor", "*nope", "!!binary ", "!!int ", "!!map ",
        "? ", "|", ">", "|-", "#", "\"", "'", "\\", "\t", "\u{0}", "\u{7}", "\u{FEFF}", "\u{202E}", "é", "🐧", "%YAML 1.1\n",
        "---\n", "...\n", "~", "null", "true", "-1", "0", "1e400", "99999999999999999999g", "-5m", "0.0000001", "NaN",
        ".inf", "1k", "1t", "15", "15x", "systemd", "packages", "root", "../../etc", "<script>", "\r\n", "\n", "  ", "=",
        "resources: ", "time_limit: ", "difficulty: ", "tmpfs: ", "memory: ", "disk: ", "cpus: ", "pids: ",
        "open_files: ", "user: ", "tags: ", "clues: ",
    ]

    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var bytes = Array(text.utf8)
        let rounds = Int.random(in: 1...4, using: &rng)
        for _ in 0..<rounds {
            switch Int.random(in: 0..<9, using: &rng) {
            case 0:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 1:  // insert a token
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: at)
            case 2:  // flip a byte
                if !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            case 3:  // delete a range
                if bytes.count > 2 {
                    let a = Int.random(in: 0..<bytes.count, using: &rng)
                    let b = min(bytes.count, a + Int.random(in: 1...40, using: &rng))
                    bytes.removeSubrange(a..<b)
                }
            case 4:  // duplicate a line (duplicate keys) or drop one
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                if !lines.isEmpty {
                    let i = Int.random(in: 0..<lines.count, using: &rng)
                    if Bool.random(using: &rng) { lines.insert(lines[i], at: i) } else { lines.remove(at: i) }
                }
                bytes = Array(lines.joined(separator: "\n").utf8)
            case 5:  // replace a value after a colon with a token
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .map(String.init)
                if !lines.isEmpty {
                    let i = Int.random(in: 0..<lines.count, using: &rng)
                    if let colon = lines[i].firstIndex(of: ":") {
                        lines[i] = String(lines[i][...colon]) + " " + tokens.randomElement(using: &rng)!
                    }
                }
                bytes = Array(lines.joined(separator: "\n").utf8)
            case 6:  // deep nesting
                let depth = Int.random(in: 1...200, using: &rng)
                let open = Bool.random(using: &rng) ? "[" : "{a: "
                bytes += Array("\nresources: ".utf8) + Array(String(repeating: open, count: depth).utf8)
            case 7:  // re-indent a line
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .map(String.init)
                if !lines.isEmpty {
                    let i = Int.random(in: 0..<lines.count, using: &rng)
                    lines[i] = String(repeating: " ", count: Int.random(in: 1...6, using: &rng)) + lines[i]
                }
                bytes = Array(lines.joined(separator: "\n").utf8)
            default:  // a very long value
                bytes += Array("\ntitle: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 100...30_000, using: &rng))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite struct ScenarioFuzzTests {
    static let valid = """
        title: "Broken nginx after a config change"
        area: web
        difficulty: easy
        time_limit: 15m
        tags: [nginx, systemd]
        init: systemd
        user: admin
        resources: { memory: 256m, cpus: 0.5, pids: 256, disk: 1g, open_files: 4096 }
        tmpfs: { /var/log/app: 8m }
        network: none
        description: |
          nginx answers 502.
        clues:
          - look at the error log
        solution_notes: |
          Fix the socket path.
        """

    /// 3,000 mutated files: the parser never crashes; every rejection is at least one diagnostic
    /// whose message is a sentence (no Swift internals), and every acceptance is a usable scenario.
    @Test func malformedScenarioFilesGetClearErrors() throws {
        var rng = SeededGenerator(seed: 0xB4EA_CF1C)
        let loader = ScenarioLoader()
        var rejected = 0
        for index in 0..<3000 {
            let text = ScenarioMutator.mutate(Self.valid, &rng)
            var problems = Problems(folder: "fuzz")
            let scenario = loader.parseMetadata(text, slug: "fuzz", file: "scenario.yaml", problems: &problems)
            if let scenario {
                #expect(problems.list.isEmpty, "#\(index): accepted with problems")
                #expect(!scenario.title.isEmpty && scenario.limits.memoryBytes > 0 && scenario.limits.pids > 0, "#\(index)")
                #expect(scenario.limits.cpus > 0 && scenario.limits.cpus.isFinite, "#\(index): cpus \(scenario.limits.cpus)")
            } else {
                rejected += 1
                #expect(!problems.list.isEmpty, "#\(index): rejected without a reason:\n\(text)")
                for problem in problems.list {
                    let message = problem.message
                    #expect(message.count >= 8 && message.count < 800, "#\(index): \(message)")
                    #expect(!message.contains("Optional(") && !message.contains("Yams.") && !message.contains("Swift."),
                        "#\(index): internals in \(message)")
                }
            }
        }
        #expect(rejected >= 1000, "only \(rejected) of 3000 mutations were malformed")
    }
}
