import ArgumentParser
import BreakfixCore
import Foundation
import Scenarios

/// Where scenarios are read from, shared by every scenario command.
struct LibraryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "A scenario folder or a folder of scenarios (default: $BREAKFIX_SCENARIOS or ./scenarios).")
    var path: String?

    var root: URL {
        let chosen = path ?? ProcessInfo.processInfo.environment["BREAKFIX_SCENARIOS"] ?? "scenarios"
        return URL(fileURLWithPath: chosen).standardizedFileURL
    }

    var library: ScenarioLibrary { ScenarioLibrary(root: root) }

    /// The vocabulary files live beside the scenarios (or one level up for a single folder).
    var linter: ScenarioLinter {
        let fm = FileManager.default
        let base = fm.fileExists(atPath: root.appendingPathComponent("scenario.yaml").path)
            ? root.deletingLastPathComponent() : root
        return ScenarioLinter(library: base)
    }

    /// The requested scenarios (`--all` or none named: every one).
    func load(_ slugs: [String]) throws -> [Result<ScenarioBundle, ScenarioLoadError>] {
        try library.load(slugs: slugs)
    }
}

/// `SLUG…` or `--all`.
struct Selection: ParsableArguments {
    @Argument(help: "Scenario slugs (folder names).")
    var slugs: [String] = []

    @Flag(name: .long, help: "Every scenario in the library.")
    var all = false

    func validate() throws {
        if all && !slugs.isEmpty { throw ValidationError("Give scenario slugs or --all, not both.") }
    }
}
