import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

@Suite(.serialized, .timeLimit(.minutes(2)))
struct SystemdSandboxTests {
    @Test func systemdBootsAsPidOne() async throws {
        let spec = testSpec(image: TestEnvironment.systemdImage, tag: uniqueTag("systemd"), initKind: .systemd)
        try await withRuntime { runtime in
            try await withSandbox(runtime, spec) { id in
                let state = try await runtime.exec(
                    id, ExecRequest(command: ["systemctl", "is-system-running", "--wait"], timeout: .seconds(15)))
                #expect(["running", "degraded"].contains(state.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
                    "state: \(state.stdoutText) \(state.stderrText)")
                if state.stdoutText.contains("degraded") {
                    let failed = try await runtime.exec(id, ExecRequest(command: ["systemctl", "--failed", "--no-legend"]))
                    Issue.record("degraded; failed units: \(failed.stdoutText)")
                }

                let pid1 = try await runtime.exec(id, ExecRequest(command: ["cat", "/proc/1/comm"]))
                #expect(pid1.stdoutText == "systemd\n")

                let info = try await runtime.inspect(id)
                #expect(info.config.stopSignal == "SIGRTMIN+3")
                #expect(info.config.env.contains("container=docker"))
                #expect(info.hostConfig.binds.isEmpty, "no host mounts, not even /sys/fs/cgroup")
                #expect(info.hostConfig.privileged == false)

                // Units can be managed: the classic "restart the service" step works.
                let restart = try await runtime.exec(id, ExecRequest(command: ["systemctl", "restart", "systemd-journald"]))
                #expect(restart.exitCode == 0, "\(restart.stderrText)")

                let started = ContinuousClock.now
                try await runtime.stop(id, timeout: .seconds(10))
                #expect(ContinuousClock.now - started < .seconds(8), "systemd should halt on SIGRTMIN+3, not wait for SIGKILL")
            }
        }
    }
}
