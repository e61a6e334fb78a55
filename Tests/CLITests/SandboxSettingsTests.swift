import BreakfixCore
import DockerRuntime
import Foundation
import Scenarios
import Testing

@testable import BreakfixCLI

/// Operator maxima from the environment, and scenario limits clamped to them.
@Suite struct SandboxSettingsTests {
    @Test func defaultsAndOverrides() throws {
        #expect(try SandboxSettings.fromEnvironment([:]) == SandboxSettings(maximum: .operatorMaximum, diskCap: .on))
        let settings = try SandboxSettings.fromEnvironment([
            "BREAKFIX_MAX_MEMORY": "512m", "BREAKFIX_MAX_CPUS": "0.25", "BREAKFIX_MAX_PIDS": "100",
            "BREAKFIX_MAX_OPEN_FILES": "1024", "BREAKFIX_MAX_DISK": "2g", "BREAKFIX_MAX_TMPFS": "16m", "BREAKFIX_DISK_CAP": "off",
        ])
        #expect(settings.maximum == ResourceLimits(
            memoryBytes: 512 << 20, cpus: 0.25, pids: 100, diskBytes: 2 << 30, tmpfsBytes: 16 << 20, openFiles: 1024))
        #expect(settings.diskCap == .off)
    }

    @Test func nonsenseIsASentence() {
        for (name, value) in [("BREAKFIX_MAX_MEMORY", "lots"), ("BREAKFIX_MAX_CPUS", "-1"), ("BREAKFIX_MAX_PIDS", "0"),
                              ("BREAKFIX_MAX_OPEN_FILES", "1.5"), ("BREAKFIX_MAX_CPUS", "inf"), ("BREAKFIX_DISK_CAP", "sometimes")] {
            #expect(throws: InvalidSetting.self, "\(name)=\(value)") { try SandboxSettings.fromEnvironment([name: value]) }
            do { _ = try SandboxSettings.fromEnvironment([name: value]) } catch {
                #expect("\(error)".hasPrefix("\(name)=\(value) is not valid; expected "))
            }
        }
    }

    /// A greedy scenario gets the operator's maxima, never more, in the spec the runtime receives.
    @Test func scenarioLimitsAreClampedToTheOperatorMaxima() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-clamp-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("greedy")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try """
            title: Greedy
            difficulty: easy
            time_limit: 10m
            resources: { memory: 64g, cpus: 64, pids: 100000, disk: 1t, open_files: 1048576 }
            tmpfs: { /var/big: 64g }
            description: wants everything
            """.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        try "FROM breakfix/base:bookworm\n".write(to: folder.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        try "echo NO\n".write(to: folder.appendingPathComponent("check.sh"), atomically: true, encoding: .utf8)
        let bundle = try ScenarioLoader().load(folder)
        let settings = try SandboxSettings.fromEnvironment(["BREAKFIX_MAX_MEMORY": "1g", "BREAKFIX_MAX_CPUS": "1", "BREAKFIX_MAX_TMPFS": "32m"])
        let provisioner = SandboxProvisioner(runtime: NoRuntime(), maximum: settings.maximum)
        let spec = provisioner.spec(for: bundle, session: "s", expiresAt: Date())
        #expect(spec.limits == settings.maximum)
        #expect(spec.extraTmpfs["/var/big"] == 32 << 20)
        #expect(spec.tmpfsMounts.values.allSatisfy { $0 <= 32 << 20 })
        #expect(spec.noNewPrivileges == false, "admin uses sudo")
    }
}

/// A runtime the clamping test never calls.
struct NoRuntime: SandboxRuntime {
    struct Unused: Error {}
    func ping() async throws {}
    func create(_ spec: SandboxSpec) async throws -> SandboxID { throw Unused() }
    func start(_ id: SandboxID) async throws { throw Unused() }
    func exec(_ id: SandboxID, _ request: ExecRequest) async throws -> ExecResult { throw Unused() }
    func openTerminal(_ id: SandboxID, _ request: TerminalRequest) async throws -> any TerminalStream { throw Unused() }
    func stop(_ id: SandboxID, timeout: Duration) async throws { throw Unused() }
    func destroy(_ id: SandboxID) async throws { throw Unused() }
    func list(labels: [String: String]) async throws -> [SandboxInfo] { [] }
}
