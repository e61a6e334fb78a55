import ArgumentParser
import BreakfixCore
import DockerRuntime
import Scenarios

struct ScenarioBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build scenario images, tagged by a hash of each scenario's folder.")

    @OptionGroup var selection: Selection
    @OptionGroup var library: LibraryOptions

    @Option(name: .long, help: "How many images to build at once.")
    var jobs = 2

    func run() async throws {
        let results = try library.load(selection.slugs)
        let jobs = max(1, jobs)
        let failed = try await Engine.with { runtime in
            let verifier = ScenarioVerifier(provisioner: SandboxProvisioner(runtime: runtime), builder: runtime)
            return await forEach(results, jobs: jobs) { result -> Bool in
                switch result {
                case .failure(let error):
                    emit("FAIL \(error.slug): \(error.diagnostics.first?.description ?? "invalid")")
                    return false
                case .success(let bundle):
                    let clock = ContinuousClock()
                    let started = clock.now
                    do {
                        let existed = try await runtime.imageExists(bundle.imageTag)
                        try await verifier.ensureImage(bundle)
                        emit(
                            existed
                                ? "up to date \(bundle.scenario.slug) (\(bundle.imageTag))"
                                : "built \(bundle.scenario.slug) (\(bundle.imageTag), \(formatSeconds(clock.now - started)))")
                        return true
                    } catch {
                        emit("FAIL \(bundle.scenario.slug): \(error)")
                        return false
                    }
                }
            }.filter { !$0 }.count
        }
        if failed > 0 { throw ExitCode.failure }
    }
}

/// Runs `body` over `items` with at most `jobs` at once; results come back in completion order.
func forEach<Item: Sendable, Output: Sendable>(
    _ items: [Item], jobs: Int, _ body: @escaping @Sendable (Item) async -> Output
) async -> [Output] {
    await withTaskGroup(of: Output.self) { group in
        var outputs: [Output] = []
        var next = items.makeIterator()
        for _ in 0..<jobs {
            guard let item = next.next() else { break }
            group.addTask { await body(item) }
        }
        while let output = await group.next() {
            outputs.append(output)
            if let item = next.next() { group.addTask { await body(item) } }
        }
        return outputs
    }
}
