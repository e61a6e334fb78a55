import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Against the real dockerd. Serialized: timing assertions must not compete with each other.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DockerSandboxRuntimeTests {
    // MARK: Engine availability

    @Test func pingsTheEngine() async throws {
        try await withRuntime { runtime in
            try await runtime.ping()
            #expect(try await runtime.imageExists(TestEnvironment.baseImage), "run scripts/setup.sh first")
            #expect(try await runtime.imageExists("breakfix/no-such-image:nope") == false)
        }
    }

    @Test func missingSocketIsUnavailableQuickly() async throws {
        let path = "/tmp/breakfix-missing-\(UUID().uuidString).sock"
        try await withRuntime(DockerSandboxRuntime(endpoint: DockerEndpoint(socketPath: path))) { runtime in
            let started = ContinuousClock.now
            let error = await #expect(throws: RuntimeError.self) { try await runtime.ping() }
            #expect(ContinuousClock.now - started < .seconds(6))
            guard case .unavailable(let endpoint, let reason)? = error else {
                Issue.record("expected .unavailable, got \(String(describing: error))")
                return
            }
            #expect(endpoint == "unix://\(path)")
            #expect(reason.contains("no socket"))
            #expect(error!.description.hasPrefix("Docker is not answering at unix://\(path)"))
            // Every method reports the same error, not a transport stack trace.
            await #expect(throws: RuntimeError.unavailable(endpoint: endpoint, reason: reason)) {
                try await runtime.list(labels: [:])
            }
            await #expect(throws: RuntimeError.self) {
                try await runtime.exec(SandboxID("x"), .shell("true"))
            }
        }
    }

    @Test func silentSocketIsUnavailableAfterFiveSeconds() async throws {
        // A socket that accepts connections (into the backlog) but never answers.
        let path = "/tmp/breakfix-silent-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(fd, 16) == 0)

        try await withRuntime(DockerSandboxRuntime(endpoint: DockerEndpoint(socketPath: path))) { runtime in
            let started = ContinuousClock.now
            let error = await #expect(throws: RuntimeError.self) { try await runtime.ping() }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(7) && elapsed >= .seconds(4))
            guard case .unavailable(_, let reason)? = error else {
                Issue.record("expected .unavailable, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("5 s"))
        }
    }

    // MARK: Lifecycle

    @Test func createsStartsListsAndDestroys() async throws {
        let tag = uniqueTag("lifecycle")
        try await withRuntime { runtime in
            let first = try await runtime.create(testSpec(tag: tag, labels: ["breakfix.session": "s-1"]))
            let second = try await runtime.create(testSpec(tag: tag, labels: ["breakfix.session": "s-2"]))
            do {
                try await runtime.start(first)
                try await runtime.start(first)  // already running is fine

                let bySession = try await runtime.list(labels: ["breakfix.session": "s-1", TestEnvironment.testLabel: tag])
                #expect(bySession.map(\.id) == [first])
                #expect(bySession.first?.state == .running)
                #expect(bySession.first?.labels[SandboxLabel.managed] == "true")
                #expect(bySession.first?.image == TestEnvironment.baseImage)

                let byKey = try await runtime.list(labels: ["breakfix.session": "", TestEnvironment.testLabel: tag])
                #expect(Set(byKey.map(\.id)) == [first, second])
                #expect(byKey.first { $0.id == second }?.state == .created)

                try await runtime.stop(first, timeout: .seconds(1))
                let stopped = try await runtime.list(labels: ["breakfix.session": "s-1", TestEnvironment.testLabel: tag])
                #expect(stopped.first?.state == .exited)
            } catch {
                try? await runtime.destroy(first)
                try? await runtime.destroy(second)
                throw error
            }
            try await runtime.destroy(first)
            try await runtime.destroy(second)
            try await runtime.destroy(first)  // already gone is not an error
            try await expectNothingLeft(runtime, tag: tag)
            await #expect(throws: RuntimeError.sandboxNotFound(first)) { try await runtime.start(first) }
        }
    }

    @Test func missingImageIsReportedAsSuch() async throws {
        try await withRuntime { runtime in
            let spec = testSpec(image: "breakfix/no-such-image:nope", tag: uniqueTag("noimage"))
            await #expect(throws: RuntimeError.imageNotFound("breakfix/no-such-image:nope")) {
                try await runtime.create(spec)
            }
        }
    }

    @Test func appliesLimitsAndSecurityDefaults() async throws {
        let limits = ResourceLimits(
            memoryBytes: 300 << 20, cpus: 0.75, pids: 200, diskBytes: 1 << 30, tmpfsBytes: 32 << 20, openFiles: 2048)
        let spec = testSpec(
            tag: uniqueTag("limits"), limits: limits, labels: ["breakfix.scenario": "demo"],
            extraTmpfs: ["/var/log/app": 4 << 20])
        try await withRuntime { runtime in
            try await withSandbox(runtime, spec) { id in
                let info = try await runtime.inspect(id)
                let host = info.hostConfig
                #expect(host.capDrop == ["ALL"])
                #expect(host.capAdd.map { $0.replacingOccurrences(of: "CAP_", with: "") }.sorted()
                    == SandboxContainerConfig.capabilities.sorted())
                #expect(host.privileged == false)
                #expect(host.networkMode == "none")
                #expect(host.memory == 300 << 20)
                #expect(host.memorySwap == host.memory)
                #expect(host.nanoCpus == 750_000_000)
                #expect(host.pidsLimit == 200)
                #expect(host.ulimits == [.init(name: "nofile", soft: 2048, hard: 2048)])
                #expect(host.tmpfs["/tmp"] == "rw,nosuid,nodev,size=\(32 << 20),mode=1777")
                #expect(host.tmpfs["/run"] == "rw,nosuid,nodev,size=\(32 << 20)")
                #expect(host.tmpfs["/run/lock"] == "rw,nosuid,nodev,size=\(8 << 20)")
                #expect(host.tmpfs["/var/log/app"] == "rw,nosuid,nodev,size=\(4 << 20)")
                #expect(host.binds.isEmpty)
                #expect(!host.securityOpt.contains { $0.contains("unconfined") })
                #expect(host.storageOpt.isEmpty)
                #expect(host.initProcess == true)
                #expect(info.config.labels["breakfix.scenario"] == "demo")
                #expect(info.config.labels[SandboxLabel.managed] == "true")
                #expect(info.config.hostname == "breakfix-test")
                #expect(info.config.cmd == ["/bin/sleep", "infinity"])

                let raw = String(decoding: try await runtime.rawInspect(id), as: UTF8.self)
                #expect(!raw.contains("docker.sock"))

                // And the kernel agrees from inside.
                let inside = try await runtime.exec(
                    id,
                    .shell(
                        "ulimit -n; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; "
                            + "df -k /var/log/app | tail -1 | tr -s ' ' | cut -d' ' -f2; ls /sys/class/net"))
                #expect(inside.stdoutText.split(separator: "\n") == ["2048", "\(300 << 20)", "200", "4096", "lo"])
            }
        }
    }

    @Test func refusesThePackageNetworkForNow() async throws {
        try await withRuntime { runtime in
            var spec = testSpec(tag: uniqueTag("net"))
            spec.network = .packages
            let error = await #expect(throws: (any Error).self) { try await runtime.create(spec) }
            #expect(String(describing: error!).contains("package network is not configured"))
        }
    }

    // MARK: Exec

    @Test func execSeparatesStreamsAndReportsExitCodes() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("exec"))) { id in
                let result = try await runtime.exec(id, .shell("echo out; echo err >&2; exit 3"))
                #expect(result.exitCode == 3)
                #expect(result.stdoutText == "out\n")
                #expect(result.stderrText == "err\n")
                #expect(!result.timedOut && !result.truncated)

                let ok = try await runtime.exec(id, ExecRequest(command: ["true"]))
                #expect(ok.exitCode == 0 && ok.stdout.isEmpty && ok.stderr.isEmpty)

                let asAdmin = try await runtime.exec(
                    id,
                    ExecRequest(
                        command: ["sh", "-c", "id -un; pwd; echo $GREETING"], user: "admin", workingDirectory: "/tmp",
                        environment: ["GREETING=hi"]))
                #expect(asAdmin.stdoutText == "admin\n/tmp\nhi\n")

                let missing = try await runtime.exec(id, ExecRequest(command: ["/no/such/binary"]))
                #expect(missing.exitCode == 127)
            }
            await #expect(throws: RuntimeError.sandboxNotFound(SandboxID("breakfix-no-such-container"))) {
                try await runtime.exec(SandboxID("breakfix-no-such-container"), .shell("true"))
            }
        }
    }

    @Test func execFeedsStdinAndClosesIt() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("stdin"))) { id in
                let echoed = try await runtime.exec(id, ExecRequest(command: ["cat"], stdin: Array("hello\n".utf8)))
                #expect(echoed.stdoutText == "hello\n")
                #expect(echoed.exitCode == 0)

                let counted = try await runtime.exec(id, ExecRequest(command: ["wc", "-c"], stdin: []))
                #expect(counted.stdoutText == "0\n")

                // Larger than every pipe and socket buffer: stdin is written while stdout is read.
                let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                var request = ExecRequest(command: ["cat"], stdin: big)
                request.outputLimit = 4 << 20
                let roundTrip = try await runtime.exec(id, request)
                #expect(roundTrip.stdout.count == big.count)
                #expect(roundTrip.stdout == big)

                let noStdin = try await runtime.exec(id, ExecRequest(command: ["cat"]))
                #expect(noStdin.exitCode == 0 && noStdin.stdout.isEmpty)
            }
        }
    }

    @Test func execTimeoutKillsTheWholeProcessTree() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("timeout"))) { id in
                let started = ContinuousClock.now
                let result = try await runtime.exec(
                    id, .shell("echo started; sleep 300 & sleep 300", timeout: .seconds(1)))
                let elapsed = ContinuousClock.now - started
                #expect(result.timedOut)
                #expect(result.exitCode == nil)
                #expect(result.stdoutText == "started\n")
                #expect(elapsed < .seconds(3), "took \(elapsed)")

                let processes = try await runtime.exec(id, ExecRequest(command: ["ps", "-eo", "args"]))
                #expect(!processes.stdoutText.contains("sleep 300"), "\(processes.stdoutText)")

                let quick = try await runtime.exec(id, .shell("sleep 0.2; exit 4", timeout: .seconds(5)))
                #expect(!quick.timedOut && quick.exitCode == 4)
            }
        }
    }

    @Test func execCapsOutput() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("cap"))) { id in
                var request = ExecRequest.shell("yes | head -c 10000000; yes no | head -c 5000 >&2")
                request.outputLimit = 1000
                let result = try await runtime.exec(id, request)
                #expect(result.stdout.count == 1000)
                #expect(result.stderr.count == 1000)
                #expect(result.truncated)
                #expect(result.exitCode == 0)
                #expect(Array(result.stdout.prefix(4)) == Array("y\ny\n".utf8))
            }
        }
    }

    @Test func execCostsAboutOneEngineRoundTrip() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("speed"))) { id in
                _ = try await runtime.exec(id, ExecRequest(command: ["true"]))
                var samples: [Duration] = []
                for _ in 0..<20 {
                    let started = ContinuousClock.now
                    let result = try await runtime.exec(id, ExecRequest(command: ["true"]))
                    samples.append(ContinuousClock.now - started)
                    #expect(result.exitCode == 0)
                }
                let median = samples.sorted()[samples.count / 2]
                print("exec `true`: median \(median) of \(samples.count)")
                #expect(median < .milliseconds(500))
            }
        }
    }

    // MARK: Terminal

    @Test func terminalResizesAndStreams() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("tty"))) { id in
                let terminal = try await runtime.openTerminal(
                    id, TerminalRequest(command: ["/bin/bash"], cols: 80, rows: 24))
                try await terminal.resize(cols: 100, rows: 30)
                try await terminal.write(Array("stty size\n".utf8))
                let sized = try await withDeadline(.seconds(10)) {
                    var seen = ""
                    for try await chunk in terminal.output {
                        seen += String(decoding: chunk, as: UTF8.self)
                        if seen.contains("30 100") { return seen }
                    }
                    return seen
                }
                #expect(sized.contains("30 100"))

                try await terminal.write(Array("exit 7\n".utf8))
                try await withDeadline(.seconds(10)) {
                    for try await _ in terminal.output {}
                }
                #expect(try await terminal.exitCode() == 7)
                await terminal.close()
            }
        }
    }

    @Test func terminalCloseEndsOutput() async throws {
        try await withRuntime { runtime in
            try await withSandbox(runtime, testSpec(tag: uniqueTag("ttyclose"))) { id in
                let terminal = try await runtime.openTerminal(id, TerminalRequest(command: ["/bin/bash"]))
                // Flood output that nobody reads: the reader must block, not buffer without limit.
                try await terminal.write(Array("yes\n".utf8))
                try await Task.sleep(for: .milliseconds(300))
                await terminal.close()
                let ended = try await withDeadline(.seconds(5)) {
                    for try await _ in terminal.output {}
                    return true
                }
                #expect(ended)
                try await Task.sleep(for: .milliseconds(500))
                let processes = try await runtime.exec(id, ExecRequest(command: ["ps", "-eo", "args"]))
                #expect(!processes.stdoutText.contains("yes"), "\(processes.stdoutText)")
            }
        }
    }
}
