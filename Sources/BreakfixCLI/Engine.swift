import BreakfixCore
import DockerRuntime
import Foundation

/// Opens the sandbox engine for one command and always closes it.
enum Engine {
    static func with<T: Sendable>(
        _ body: @Sendable (DockerSandboxRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try DockerSandboxRuntime(endpoint: DockerEndpoint.fromEnvironment())
        do {
            try await runtime.ping()
            let result = try await body(runtime)
            try? await runtime.shutdown()
            return result
        } catch {
            try? await runtime.shutdown()
            throw error
        }
    }
}

/// Writes one line to stdout at once (unbuffered), so `PASS`/`FAIL` lines reach a CI log as
/// they happen even when stdout is a pipe.
func emit(_ line: String) {
    // A reader that went away (`| head`) is not a reason to crash.
    try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
}

/// Prints to stderr.
func printError(_ message: String) {
    try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
}

func formatSeconds(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(format: "%.1fs", seconds)
}

/// `4m12s`, `1h02m`, `37s`.
func formatElapsed(_ seconds: Int) -> String {
    if seconds >= 3600 { return String(format: "%dh%02dm", seconds / 3600, seconds % 3600 / 60) }
    if seconds >= 60 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
    return "\(seconds)s"
}
