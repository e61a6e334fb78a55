import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

/// Every integration test runs against the real dockerd and the base image the Makefile builds
/// before the tests (`scripts/setup.sh`); they fail, not skip, without them.
enum TestEnvironment {
    static let baseImage = "breakfix/base:bookworm"
    static let systemdImage = "breakfix/systemd:bookworm"
    /// Label on every container and image a test creates, so leftovers are easy to find.
    static let testLabel = "breakfix.test"
}

/// Runs `body` with a fresh runtime and always shuts it down.
func withRuntime<T>(
    _ runtime: DockerSandboxRuntime = DockerSandboxRuntime(), _ body: (DockerSandboxRuntime) async throws -> T
) async throws -> T {
    do {
        let result = try await body(runtime)
        try await runtime.shutdown()
        return result
    } catch {
        try? await runtime.shutdown()
        throw error
    }
}

/// A spec labelled for this test run: `breakfix.test=<tag>`.
func testSpec(
    image: String = TestEnvironment.baseImage, tag: String, initKind: InitKind = .shell,
    limits: ResourceLimits = .default, labels: [String: String] = [:], extraTmpfs: [String: Int64] = [:]
) -> SandboxSpec {
    var allLabels = labels
    allLabels[TestEnvironment.testLabel] = tag
    return SandboxSpec(
        image: image, hostname: "breakfix-test", initKind: initKind, limits: limits, labels: allLabels,
        extraTmpfs: extraTmpfs)
}

/// Creates (and by default starts) a sandbox, runs `body`, then destroys it whatever happened and
/// checks that nothing carrying this test's label is left.
func withSandbox<T>(
    _ runtime: DockerSandboxRuntime, _ spec: SandboxSpec, start: Bool = true,
    _ body: (SandboxID) async throws -> T
) async throws -> T {
    let id = try await runtime.create(spec)
    let result: T
    do {
        if start { try await runtime.start(id) }
        result = try await body(id)
    } catch {
        try? await runtime.destroy(id)
        throw error
    }
    try await runtime.destroy(id)
    try await expectNothingLeft(runtime, tag: spec.labels[TestEnvironment.testLabel] ?? "")
    return result
}

func expectNothingLeft(_ runtime: DockerSandboxRuntime, tag: String) async throws {
    let left = try await runtime.list(labels: [TestEnvironment.testLabel: tag])
    #expect(left.isEmpty, "containers left behind: \(left.map(\.name))")
}

func uniqueTag(_ name: String) -> String {
    "\(name)-\(UUID().uuidString.prefix(8).lowercased())"
}

struct TimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "did not finish within \(limit)" }
}

/// Fails instead of hanging when `body` takes longer than `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        let first = try await group.next()
        group.cancelAll()
        guard let outcome = first, let value = outcome else { throw TimedOut(limit: limit) }
        return value
    }
}

extension ExecRequest {
    static func shell(_ script: String, stdin: [UInt8]? = nil, timeout: Duration = .seconds(20)) -> ExecRequest {
        ExecRequest(command: ["/bin/sh", "-c", script], stdin: stdin, timeout: timeout)
    }
}
