import ArgumentParser
import BreakfixCore
import Scenarios

struct ScenarioVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove scenarios work: build, start, check says NO, run solution.sh, check says OK.",
        discussion: "Prints one line per scenario, `PASS <slug> (<seconds>s)` or `FAIL <slug>: <reason>`, and exits non-zero if any failed.")

    @OptionGroup var selection: Selection
    @OptionGroup var library: LibraryOptions

    @Option(name: .long, help: "How many scenarios to verify at once.")
    var jobs = 2

    func run() async throws {
        let results = try library.load(selection.slugs)
        let jobs = max(1, jobs)
        let outcomes = try await Engine.with { runtime in
            let verifier = ScenarioVerifier(provisioner: SandboxProvisioner(runtime: runtime), builder: runtime)
            return await forEach(results, jobs: jobs) { result -> VerifyOutcome in
                let outcome: VerifyOutcome
                switch result {
                case .failure(let error):
                    outcome = VerifyOutcome(
                        slug: error.slug, failure: error.diagnostics.first?.description ?? "invalid", duration: .zero)
                case .success(let bundle):
                    outcome = await verifier.verify(bundle, extraLabels: ["breakfix.purpose": "verify"])
                }
                emit(outcome.line)
                return outcome
            }
        }
        let failed = outcomes.filter { !$0.passed }.count
        emit("verify: \(outcomes.count - failed) passed, \(failed) failed")
        if failed > 0 {
            printError("\(failed) of \(outcomes.count) scenario(s) failed verification.")
            throw ExitCode.failure
        }
    }
}
