import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

/// Attacks from inside a submission, against the real dockerd: each is contained, the host and
/// a submission judged at the same time are unharmed, and nothing of it is left afterwards.
@Suite struct JudgeContainmentTests {
    /// A C submission judged while an attack runs: it must still be accepted.
    func bystander() async throws -> JudgeOutcome {
        try await judge(LanguagesFile.language("c").template, in: "c", testBundle(sumTests)).outcome
    }

    @Test func forkBomb() async throws {
        let marker = "breakfix-bomb-\(UUID().uuidString.prefix(8).lowercased())"
        // Every fork of this bash carries the marker in its command line.
        // Every process keeps forking whatever fails (a `:(){ :|:& };:` gives up once forks fail,
        // measured: it exits 0 after 0.3 s). stderr closed: bash's "fork: retry" complaints
        // must not end it as OLE first.
        let bomb = "exec 2>/dev/null; exec -a \(marker) bash -c 'f() { while :; do f & done; }; f'\n"
        let limits = ChallengeLimits(
            cpuTime: .seconds(2), wallTime: .seconds(3), memoryBytes: 256 << 20, outputBytes: 1 << 20)
        async let other = bystander()
        let attack = try await judge(bomb, in: "bash", testBundle(sumTests, limits: limits))
        #expect(attack.outcome.verdict == .TLE || attack.outcome.verdict == .RE, "\(attack.outcome)")
        #expect(attack.elapsed < .seconds(30), "the bomb was stopped at the wall limit: \(attack.elapsed)")
        #expect(try await other.verdict == .AC, "judging beside a fork bomb still works")
        #expect(hostProcesses(containing: marker).isEmpty, "no process of the bomb is left on the host")
    }

    @Test func memoryBomb() async throws {
        let available = Self.memAvailableMiB()
        let bomb = """
            #include <stdlib.h>
            #include <string.h>
            int main(void) {
                for (int i = 0; i < 256; i++) { char *p = malloc(16 << 20); if (!p) return 3; memset(p, 1, 16 << 20); }
                return 0;
            }
            """
        let limits = ChallengeLimits(
            cpuTime: .seconds(5), wallTime: .seconds(10), memoryBytes: 64 << 20, outputBytes: 1 << 20)
        async let other = bystander()
        let attack = try await judge(bomb, in: "c", testBundle(sumTests, limits: limits))
        #expect(attack.outcome.verdict == .MLE, "\(attack.outcome)")
        #expect(try await other.verdict == .AC)
        let after = Self.memAvailableMiB()
        // Other tests and builds share the host, so only a drop near the bomb's 4 GiB would mean it
        // escaped its 64 MiB (a 512 MiB margin failed once, with other work running).
        #expect(available - after < 2048, "host MemAvailable \(available) -> \(after) MiB for a 4 GiB bomb")
        print(
            "judge memory bomb: \(attack.outcome.verdict), peak \(attack.outcome.tests.first?.memoryKB ?? 0) KiB; host MemAvailable \(available) -> \(after) MiB"
        )
    }

    /// /work and /tmp fill up to their tmpfs caps and no further; the root fs is read-only.
    @Test func diskFillStopsAtTheCaps() async throws {
        let script = """
            dd if=/dev/zero of=/work/fill bs=1M count=512 2>/dev/null
            w=$(( $(stat -c %s /work/fill) >> 20 )); rm -f /work/fill
            dd if=/dev/zero of=/tmp/fill bs=1M count=512 2>/dev/null
            t=$(( $(stat -c %s /tmp/fill) >> 20 )); rm -f /tmp/fill
            [ "$w" -le 64 ] && [ "$w" -ge 60 ] && echo work-capped
            [ "$t" -le 128 ] && [ "$t" -ge 120 ] && echo tmp-capped
            for f in /fill /etc/fill /usr/fill /var/tmp/fill /home/fill; do
              if echo x 2>/dev/null > "$f"; then echo "wrote $f"; fi
            done
            echo "read-only"
            """
        let limits = ChallengeLimits(
            cpuTime: .seconds(10), wallTime: .seconds(20), memoryBytes: 512 << 20, outputBytes: 1 << 20)
        let judged = try await judge(
            script, in: "bash",
            testBundle([("\n", "work-capped\ntmp-capped\nread-only\n")], limits: limits, checker: .exact))
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
    }

    /// Daemons a test leaves behind (setsid, nohup, a double fork) die when its program exits:
    /// the next test sees none of them, and after the submission the host has none either.
    @Test func detachedDaemonsDieWithTheTest() async throws {
        let marker = "breakfix-daemon-\(UUID().uuidString.prefix(8).lowercased())"
        // `[snd]`: grep's own command line holds the pattern but does not match it.
        let script = """
            read -r what
            count() { grep -las '\(marker)-[snd]' /proc/[0-9]*/cmdline | wc -l; }
            if [ "$what" = start ]; then
              setsid bash -c 'exec -a \(marker)-setsid sleep 1000' </dev/null >/dev/null 2>&1 &
              nohup bash -c 'exec -a \(marker)-nohup sleep 1000' >/dev/null 2>&1 &
              ( bash -c 'exec -a \(marker)-double sleep 1000' </dev/null >/dev/null 2>&1 & )
              for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(count)" -ge 3 ] && break; sleep 0.1; done
              echo "started $(count)"
            else
              echo "left $(count)"
            fi
            """
        let judged = try await judge(
            script, in: "bash", testBundle([("start\n", "started 3\n"), ("check\n", "left 0\n")], scoring: .all))
        #expect(judged.outcome.tests.map(\.verdict) == [.AC, .AC], "\(judged.outcome)")
        #expect(hostProcesses(containing: marker).isEmpty, "no daemon is left on the host")
    }

    /// The expected output never enters the submission's container: a search of the whole file
    /// system (and the environment) for a marker that is only in the expected output finds nothing.
    @Test func expectedOutputIsNowhereInTheSandbox() async throws {
        let half = UUID().uuidString.prefix(8).lowercased()
        let marker = "SECRET-\(half)"
        // The program builds the marker at run time: its own source must not contain it.
        let script = """
            m="SEC""RET-\(half)"
            hits=$(grep -rlsaF --devices=skip --exclude-dir=proc --exclude-dir=sys "$m" / 2>/dev/null | head -3)
            env | grep -qF "$m" && hits="$hits env"
            if [ -z "$hits" ]; then echo "not-found $m"; else echo "found $hits"; fi
            """
        let limits = ChallengeLimits(
            cpuTime: .seconds(30), wallTime: .seconds(60), memoryBytes: 256 << 20, outputBytes: 1 << 20)
        let judged = try await judge(
            script, in: "bash", testBundle([("search\n", "not-found \(marker)\n")], limits: limits))
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
        print(
            "judge search for the expected output: \(judged.outcome.verdict) in \(ms(judged.elapsed)), cpu \(judged.outcome.tests.first?.cpuMs ?? 0) ms"
        )
    }

    /// Only loopback, no capabilities (effective, permitted, bounding), no-new-privileges, nobody,
    /// and a read-only root.
    @Test func identityInsideTheSandbox() async throws {
        let script = """
            ls /sys/class/net
            grep -E '^(CapPrm|CapEff|CapBnd|NoNewPrivs)' /proc/self/status
            id -u; id -g
            touch /probe 2>/dev/null && echo root-writable || echo root-read-only
            """
        let expected = """
            lo
            CapPrm: 0000000000000000
            CapEff: 0000000000000000
            CapBnd: 0000000000000000
            NoNewPrivs: 1
            65534
            65534
            root-read-only

            """
        let judged = try await judge(script, in: "bash", testBundle([("\n", expected)]))
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
    }

    /// What the engine applied, read while the submission is judged: the hardening, the compile
    /// limits, then the run limits after the update.
    @Test func containerSettings() async throws {
        let tag = uniqueTag("judge-settings")
        let seen = SettingsLog()
        let limits = ChallengeLimits(
            cpuTime: .seconds(1), wallTime: .seconds(5), memoryBytes: 100 << 20, outputBytes: 1 << 20)
        let judged = try await judge(
            LanguagesFile.language("c").template, in: "c", testBundle(sumTests, limits: limits), tag: tag
        ) { event in
            switch event {
            case .compiling, .test:
                let runtime = DockerSandboxRuntime()
                if let id = try? await runtime.list(labels: [TestEnvironment.testLabel: tag]).first?.id,
                    let data = try? await runtime.rawInspect(id)
                {
                    await seen.add(event: event, inspect: data)
                }
                try? await runtime.shutdown()
            default: break
            }
        }
        #expect(judged.outcome.verdict == .AC)
        let entries = await seen.entries
        let compiling = try #require(
            entries.first { if case .compiling = $0.0 { true } else { false } }.flatMap { json($0.1) })
        let host = try #require(compiling["HostConfig"] as? [String: Any])
        let config = try #require(compiling["Config"] as? [String: Any])
        #expect(host["ReadonlyRootfs"] as? Bool == true)
        #expect(host["CapDrop"] as? [String] == ["ALL"])
        #expect((host["CapAdd"] as? [String] ?? []).isEmpty)
        #expect(host["Privileged"] as? Bool == false)
        #expect(host["NetworkMode"] as? String == "none")
        #expect(host["Init"] as? Bool == true)
        #expect((host["SecurityOpt"] as? [String] ?? []).contains("no-new-privileges:true"))
        #expect((host["Binds"] as? [String] ?? []).isEmpty)
        #expect(int(host["Memory"]) == 1 << 30, "the compiler's limit")
        #expect(int(host["MemorySwap"]) == 1 << 30)
        #expect(int(host["PidsLimit"]) == 258)
        let tmpfs = try #require(host["Tmpfs"] as? [String: String])
        #expect(tmpfs["/work"]?.contains("exec") == true && tmpfs["/work"]?.contains("noexec") == false)
        #expect(tmpfs["/tmp"]?.contains("noexec") == true)
        #expect(config["Cmd"] as? [String] == ["/bin/sleep", "infinity"])
        let labels = try #require(config["Labels"] as? [String: String])
        #expect(
            labels["breakfix.managed"] == "true" && labels["breakfix.kind"] == "judge"
                && labels[TestEnvironment.testLabel] == tag)

        let running = try #require(
            entries.first { if case .test = $0.0 { true } else { false } }.flatMap { json($0.1) })
        let runHost = try #require(running["HostConfig"] as? [String: Any])
        let memory = try #require(int(runHost["Memory"]))
        #expect(memory > 100 << 20 && memory < 140 << 20, "the run's limit: \(memory >> 20) MiB")
        #expect(int(runHost["MemorySwap"]) == memory)
        #expect(int(runHost["PidsLimit"]) == 66)
    }

    /// On an engine that caps a container's writable layer (this host's btrfs data root), the
    /// judge asks for the cap too; the root is read-only anyway.
    @Test func diskCapWhereTheEngineHasOne() async throws {
        let problem = try await withRuntime { runtime in
            try await runtime.diskCapProblem(image: TestEnvironment.baseImage)
        }
        guard problem == nil else { return }  // overlay2 on ext4: HardeningTests covers the refusal
        let tag = uniqueTag("judge-disk-cap")
        let capped = DockerJudge(enforceDiskLimit: true, languages: Array(LanguagesFile.all.values))
        let judged = try await judge(
            LanguagesFile.language("python3").template, in: "python3", testBundle(sumTests), tag: tag, judge: capped)
        try await capped.shutdown()
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
    }

    static func memAvailableMiB() -> Int {
        let text = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

actor SettingsLog {
    private(set) var entries: [(JudgeProgress, Data)] = []
    func add(event: JudgeProgress, inspect: Data) { entries.append((event, inspect)) }
}

private func json(_ data: Data) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: data) as? [String: Any]
}

private func int(_ value: Any?) -> Int64? {
    switch value {
    case let number as Int: return Int64(number)
    case let number as Int64: return number
    case let number as NSNumber: return number.int64Value
    default: return nil
    }
}
