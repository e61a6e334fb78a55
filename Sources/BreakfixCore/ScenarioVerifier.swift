import Foundation

/// How `verify` ended for one scenario.
public struct VerifyOutcome: Sendable, Equatable {
    public var slug: String
    /// `nil` when the scenario passed.
    public var failure: String?
    public var duration: Duration

    public var passed: Bool { failure == nil }

    public init(slug: String, failure: String?, duration: Duration) {
        self.slug = slug
        self.failure = failure
        self.duration = duration
    }

    /// `PASS <slug> (<seconds>s)` or `FAIL <slug>: <reason>`.
    public var line: String {
        if let failure { return "FAIL \(slug): \(failure)" }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return "PASS \(slug) (\(String(format: "%.1f", seconds))s)"
    }
}

/// Proves a scenario works: build, start, prepare, the check says NO, the solution runs, the
/// check says OK; the sandbox is always destroyed.
public struct ScenarioVerifier: Sendable {
    public let provisioner: SandboxProvisioner
    public let builder: any ImageBuilder

    public init(provisioner: SandboxProvisioner, builder: any ImageBuilder) {
        self.provisioner = provisioner
        self.builder = builder
    }

    /// Builds the scenario's image unless an image of the same content already exists.
    public func ensureImage(_ bundle: ScenarioBundle) async throws {
        if try await builder.imageExists(bundle.imageTag) { return }
        try await builder.build(
            directory: bundle.directory, tag: bundle.imageTag,
            labels: ["breakfix.managed": "true", SandboxLabel.scenario: bundle.scenario.slug],
            exclude: ScenarioBundle.secretFiles)
    }

    public func verify(_ bundle: ScenarioBundle, extraLabels: [String: String] = [:]) async -> VerifyOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let slug = bundle.scenario.slug
        do {
            try await run(bundle, extraLabels: extraLabels)
            return VerifyOutcome(slug: slug, failure: nil, duration: clock.now - started)
        } catch {
            let reason = String(describing: error)
            return VerifyOutcome(
                slug: slug, failure: reason.replacingOccurrences(of: "\n", with: " | "), duration: clock.now - started)
        }
    }

    private func run(_ bundle: ScenarioBundle, extraLabels: [String: String]) async throws {
        guard let solution = bundle.solutionScript else {
            throw ProvisionError("the scenario has no solution.sh, so it cannot be verified.")
        }
        try await ensureImage(bundle)
        let session = "verify-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let expires = Date().addingTimeInterval(Double(bundle.scenario.timeLimitSeconds))
        let id = try await provisioner.provision(
            bundle, session: session, expiresAt: expires, extraLabels: extraLabels)
        do {
            try await verifyProvisioned(id, bundle, solution: solution)
        } catch {
            try? await provisioner.runtime.destroy(id)
            throw error
        }
        try await provisioner.runtime.destroy(id)
    }

    private func verifyProvisioned(_ id: SandboxID, _ bundle: ScenarioBundle, solution: [UInt8]) async throws {
        switch try await provisioner.check(id, bundle) {
        case .solved:
            throw ProvisionError("check.sh says OK before the fix, so it would pass an untouched sandbox.")
        case .checkFailed(let reason):
            throw ProvisionError("check.sh failed on the broken sandbox: \(reason)")
        case .notSolved:
            break
        }
        let result = try await provisioner.runScript(id, solution, timeout: provisioner.scriptTimeout)
        guard result.exitCode == 0 else {
            throw ProvisionError(
                "solution.sh failed: \(SandboxProvisioner.describe(result, timeout: provisioner.scriptTimeout))")
        }
        switch try await provisioner.check(id, bundle) {
        case .solved:
            return
        case .notSolved(let feedback):
            throw ProvisionError("check.sh says NO after solution.sh" + (feedback.map { " (\($0))" } ?? "") + ".")
        case .checkFailed(let reason):
            throw ProvisionError("check.sh failed after solution.sh: \(reason)")
        }
    }
}
