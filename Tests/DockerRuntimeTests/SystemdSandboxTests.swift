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
                // Right after start systemd's bus socket does not exist yet and systemctl fails at
                // once ("Failed to connect to bus"), so ask again until it answers.
                let booting = ContinuousClock.now
                var state = ExecResult(exitCode: nil, stdout: [], stderr: [])
                while ContinuousClock.now - booting < .seconds(15) {
                    state = try await runtime.exec(
                        id, ExecRequest(command: ["systemctl", "is-system-running", "--wait"], timeout: .seconds(15)))
                    if !state.stdout.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(ContinuousClock.now - booting < .seconds(15))
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
                #expect(info.hostConfig.binds == [SandboxContainerConfig.systemdCgroupV1Bind])
                #expect(info.hostConfig.privileged == false)

                // Limits stay out of reach: every cgroup controller is read-only inside.
                let escape = try await runtime.exec(
                    id, .shell("for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do echo 1 > $f && echo wrote $f; done; true"))
                #expect(!escape.stdoutText.contains("wrote"), "\(escape.stdoutText)")
                #expect(try await runtime.inspect(id).hostConfig.pidsLimit == Int64(ResourceLimits.default.pids))

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
