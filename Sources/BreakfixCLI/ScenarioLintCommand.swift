import ArgumentParser
import BreakfixCore
import Scenarios

struct ScenarioLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check scenarios for format errors and quality problems, without Docker.")

    @OptionGroup var selection: Selection
    @OptionGroup var library: LibraryOptions

    func run() throws {
        let linter = library.linter
        var problems = 0
        var count = 0
        for result in try library.load(selection.slugs) {
            count += 1
            let diagnostics: [ScenarioDiagnostic]
            switch result {
            case .success(let bundle): diagnostics = linter.lint(bundle)
            case .failure(let error): diagnostics = error.diagnostics
            }
            problems += diagnostics.count
            for d in diagnostics { print(d.description) }
        }
        print("lint: \(count) scenario(s), \(problems == 0 ? "no" : String(problems)) problem(s)")
        if problems > 0 { throw ExitCode.failure }
    }
}
