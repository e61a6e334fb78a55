import BreakfixCore
import Foundation

/// The limits one test of a submission runs under: the challenge's, scaled for the language.
struct TestLimits: Sendable, Equatable {
    var cpu: Duration
    var wall: Duration
    /// What the program may use: the challenge's memory plus the language runtime's extra.
    var memoryBytes: Int64
    var outputBytes: Int64

    init(challenge: ChallengeLimits, language: LanguageSpec) {
        let factor = language.timeFactor > 0 ? language.timeFactor : 1
        cpu = challenge.cpuTime * factor
        wall = challenge.wallTime * factor
        memoryBytes = challenge.memoryBytes + max(0, language.memoryExtraBytes)
        outputBytes = challenge.outputBytes
    }

    /// `prlimit --cpu` backstop in whole seconds: ceil(limit) + 1, so the measured limit (polled
    /// every 10 ms) always acts first.
    var cpuBackstopSeconds: Int64 {
        let (seconds, attoseconds) = cpu.components
        return seconds + (attoseconds > 0 ? 1 : 0) + 1
    }
}

/// How a measured run becomes a verdict, before the output is compared.
enum TestVerdict {
    /// TLE, OLE, MLE or RE (with its detail) in that precedence; nil when the program ended
    /// normally within every limit and its output must be compared.
    static func beforeComparison(_ run: JudgeSandbox.Measurement, limits: TestLimits) -> (Verdict, String?)? {
        if run.killedFor == .wall || run.killedFor == .cpu || run.wall >= limits.wall || run.cpu > limits.cpu {
            return (.TLE, nil)
        }
        if run.killedFor == .output || run.outputBytes > limits.outputBytes { return (.OLE, nil) }
        // The program's own memory (anonymous + tmpfs, polled every 10 ms; the program is killed
        // when it reaches the limit) and the kernel's OOM kill at the container's limit decide.
        // The cgroup's peak also counts page cache, which the kernel drops at the limit instead
        // of killing (measured: a `grep -r /` reached the limit that way and exited 0), so it
        // only turns a failure into MLE: a program that died after its peak reached the limit.
        // A runtime's own heap can also end before the limit (the JVM's old generation is part of
        // its heap: OutOfMemoryError, exit 1, at 151 MB of 192, measured): a failure that printed
        // a runtime's out-of-memory message is MLE too (printing one yourself gains nothing).
        if run.killedFor == .memory || run.oomKilled || run.unreclaimablePeakBytes >= limits.memoryBytes
            || (run.exitCode != 0 && (run.peakBytes >= limits.memoryBytes || saysOutOfMemory(run.errorTail)))
        {
            return (.MLE, nil)
        }
        if run.exitCode != 0 { return (.RE, runtimeErrorDetail(exitCode: run.exitCode)) }
        return nil
    }

    /// What runtimes print when their allocator gives up: Java, Python, C++ (libstdc++), Rust,
    /// Go. A language without one here still gets MLE from the measured memory.
    static let outOfMemoryMessages = [
        "java.lang.OutOfMemoryError", "MemoryError", "std::bad_alloc", "memory allocation of",
        "runtime: out of memory",
    ]

    static func saysOutOfMemory(_ stderr: [UInt8]) -> Bool {
        let text = String(decoding: stderr, as: UTF8.self)
        return outOfMemoryMessages.contains { text.contains($0) }
    }

    /// `SIGSEGV` for 139 (128 + 11), `exit code 3` otherwise.
    static func runtimeErrorDetail(exitCode: Int32) -> String {
        if exitCode > 128, exitCode <= 128 + 64, let name = signalName(exitCode - 128) { return name }
        return "exit code \(exitCode)"
    }

    static func signalName(_ number: Int32) -> String? {
        let names = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
            9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
            16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
            23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO",
            30: "SIGPWR", 31: "SIGSYS",
        ]
        return names[Int(number)]
    }

    /// A custom checker's answer: `OK`, or `NO` and one line of feedback. nil when it said
    /// neither (a broken checker is the judge's failure, not the submission's).
    static func checkerAnswer(_ output: [UInt8]) -> (Verdict, String?)? {
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let first = lines.first(where: { !$0.isEmpty }) else { return nil }
        let feedback = lines.drop { $0 != first }.dropFirst().first { !$0.isEmpty }
        switch first {
        case "OK": return (.AC, nil)
        case "NO": return (.WA, feedback.map { String($0.prefix(500)) })
        default: return nil
        }
    }
}
