import Foundation

/// The steps a new sandbox goes through before its user gets a shell.
public enum ProvisionPhase: String, Sendable, Codable, CaseIterable {
    case creating, booting, preparing, ready
}

/// A failure while preparing or checking a sandbox, as a sentence for the operator or author.
public struct ProvisionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Turns a scenario into a running, prepared sandbox and runs its scripts. Knows nothing of HTTP
/// or of the engine behind `runtime`.
public struct SandboxProvisioner: Sendable {
    public let runtime: any SandboxRuntime
    /// A scenario may ask for more than the defaults, never more than this.
    public var maximum: ResourceLimits
    public var bootTimeout: Duration
    public var scriptTimeout: Duration
    public var checkTimeout: Duration
    /// Output kept from a script; the rest is dropped.
    public var outputLimit: Int

    public init(
        runtime: any SandboxRuntime, maximum: ResourceLimits = .operatorMaximum,
        bootTimeout: Duration = .seconds(60), scriptTimeout: Duration = .seconds(120),
        checkTimeout: Duration = .seconds(10), outputLimit: Int = 64 * 1024
    ) {
        self.runtime = runtime
        self.maximum = maximum
        self.bootTimeout = bootTimeout
        self.scriptTimeout = scriptTimeout
        self.checkTimeout = checkTimeout
        self.outputLimit = outputLimit
    }

    /// The sandbox a scenario asks for, its limits clamped to the operator's maxima.
    public func spec(
        for bundle: ScenarioBundle, session: String, expiresAt: Date, extraLabels: [String: String] = [:]
    ) -> SandboxSpec {
        let scenario = bundle.scenario
        var labels = extraLabels
        labels[SandboxLabel.session] = session
        labels[SandboxLabel.scenario] = scenario.slug
        labels[SandboxLabel.expires] = String(Int(expiresAt.timeIntervalSince1970))
        labels[SandboxLabel.managed] = "true"
        let maxTmpfs = maximum.tmpfsBytes
        return SandboxSpec(
            image: bundle.imageTag,
            name: "breakfix-\(scenario.slug)-\(session.prefix(12))",
            hostname: String(scenario.slug.prefix(63)),
            initKind: scenario.initKind,
            network: scenario.network,
            limits: scenario.limits.clamped(to: maximum),
            labels: labels,
            extraTmpfs: scenario.extraTmpfs.mapValues { min($0, maxTmpfs) },
            noNewPrivileges: scenario.user == "root")
    }

    /// Creates, starts, boots and prepares a sandbox. On any failure the sandbox is destroyed
    /// before the error is rethrown, so nothing is left behind.
    public func provision(
        _ bundle: ScenarioBundle, session: String, expiresAt: Date, extraLabels: [String: String] = [:],
        progress: @Sendable (ProvisionPhase) async -> Void = { _ in }
    ) async throws -> SandboxID {
        await progress(.creating)
        let id = try await runtime.create(spec(for: bundle, session: session, expiresAt: expiresAt, extraLabels: extraLabels))
        do {
            try await runtime.start(id)
            await progress(.booting)
            try await waitForBoot(id, initKind: bundle.scenario.initKind)
            if let start = bundle.startScript {
                await progress(.preparing)
                let result = try await runScript(id, start, timeout: scriptTimeout)
                guard result.exitCode == 0 else {
                    throw ProvisionError("start.sh failed: \(Self.describe(result, timeout: scriptTimeout))")
                }
            }
            await progress(.ready)
            return id
        } catch {
            try? await runtime.destroy(id)
            throw error
        }
    }

    /// Waits until the sandbox can take commands: for systemd, until the boot has finished.
    public func waitForBoot(_ id: SandboxID, initKind: InitKind) async throws {
        switch initKind {
        case .shell:
            return
        case .systemd:
            // `--wait` blocks until boot is over; "degraded" (a unit failed) still means booted.
            // Right after start systemd may not have its bus yet: the call then prints nothing
            // (or "Failed to connect to bus"), so ask again until the deadline.
            let clock = ContinuousClock()
            let deadline = clock.now + bootTimeout
            var state = ""
            while clock.now < deadline {
                let result = try await runtime.exec(
                    id,
                    ExecRequest(
                        command: ["systemctl", "is-system-running", "--wait"], timeout: deadline - clock.now,
                        outputLimit: 4096))
                state = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                if state == "running" || state == "degraded" { return }
                if result.timedOut { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ProvisionError(
                "systemd did not finish booting within \(bootTimeout.seconds) s (state: \(state.isEmpty ? "unknown" : state)).")
        }
    }

    /// Runs a script as root. The script is piped in and kept in the shell's memory only, never
    /// written to the sandbox's disk; its commands get /dev/null as stdin so they cannot eat it.
    public func runScript(_ id: SandboxID, _ script: [UInt8], timeout: Duration) async throws -> ExecResult {
        try await runtime.exec(
            id,
            ExecRequest(
                command: ["/bin/bash", "-c", "__breakfix_script=$(cat); exec </dev/null; eval \"$__breakfix_script\""],
                user: "root", workingDirectory: "/root",
                environment: [
                    "HOME=/root", "LANG=C.UTF-8",
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ],
                stdin: script, timeout: timeout, outputLimit: outputLimit))
    }

    /// Runs the scenario's check and reads its verdict.
    public func check(_ id: SandboxID, _ bundle: ScenarioBundle) async throws -> CheckVerdict {
        let result = try await runScript(id, bundle.checkScript, timeout: checkTimeout)
        return CheckVerdict.interpret(result, timeout: checkTimeout)
    }

    /// One line on how a script ended, with the tail of its error output.
    public static func describe(_ result: ExecResult, timeout: Duration) -> String {
        if result.timedOut { return "it did not finish within \(timeout.seconds) s" }
        let tail = (result.stderrText + result.stdoutText).split(whereSeparator: \.isNewline).suffix(3)
            .joined(separator: " | ")
        return "exit code \(result.exitCode.map(String.init) ?? "?")" + (tail.isEmpty ? "" : ": \(tail)")
    }
}
