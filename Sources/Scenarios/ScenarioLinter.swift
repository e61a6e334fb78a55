import BreakfixCore
import Foundation

/// Quality rules beyond a valid format: what makes a scenario fair and teachable.
public struct ScenarioLinter: Sendable {
    /// Allowed areas (from the library's `AREAS` file); nil when the library has none.
    public var areas: [String]?
    /// Allowed tags (from the library's `TAGS` file); nil when the library has none.
    public var tags: [String]?
    public var loader: ScenarioLoader

    public static let timeLimitRange: ClosedRange<Duration> = .seconds(5 * 60) ... .seconds(60 * 60)

    public init(areas: [String]? = nil, tags: [String]? = nil, loader: ScenarioLoader = ScenarioLoader()) {
        self.areas = areas
        self.tags = tags
        self.loader = loader
    }

    /// Reads the vocabulary files `AREAS` and `TAGS` (one word a line, `#` comments) of a library.
    public init(library root: URL, loader: ScenarioLoader = ScenarioLoader()) {
        func words(_ name: String) -> [String]? {
            guard let text = try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8) else {
                return nil
            }
            return text.split(whereSeparator: \.isNewline)
                .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0] }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        self.init(areas: words("AREAS"), tags: words("TAGS"), loader: loader)
    }

    public func lint(_ bundle: ScenarioBundle) -> [ScenarioDiagnostic] {
        let s = bundle.scenario
        let yaml = loader.display(bundle.directory.appendingPathComponent("scenario.yaml"))
        var found: [ScenarioDiagnostic] = []
        func flag(_ message: String) { found.append(ScenarioDiagnostic(file: yaml, message: message)) }

        if s.clues.isEmpty { flag("clues are missing; give 2–3, from a gentle nudge to the specific fix.") }
        if s.clues.count > 5 { flag("has \(s.clues.count) clues; keep it to 2–3 so each one counts.") }
        if !Self.statesVictory(s.description) {
            flag("description has no victory condition; add a sentence starting \"Fixed when\" that says how the user can see it works.")
        }
        if !Self.timeLimitRange.contains(s.timeLimit) {
            flag("time_limit \(s.timeLimitSeconds / 60)m is outside 5m–60m.")
        }
        if s.solutionNotes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            flag("solution_notes are missing; explain what broke, the fix and how to prevent it.")
        }
        if let areas {
            if let area = s.area {
                if !areas.contains(area) {
                    flag("area \"\(area)\" is not in AREAS" + Suggestion.hint(for: area, in: areas, otherwise: "; use one of \(areas.joined(separator: ", ")).") )
                }
            } else {
                flag("area is missing; use one of \(areas.joined(separator: ", ")).")
            }
        }
        if let tags {
            for tag in s.tags where !tags.contains(tag) {
                flag("tag \"\(tag)\" is not in TAGS" + Suggestion.hint(for: tag, in: tags, otherwise: "; add it there if it is a new topic."))
            }
        }
        if s.tags.isEmpty { flag("tags are missing; they drive the catalog's filters.") }
        if bundle.solutionScript == nil {
            found.append(
                ScenarioDiagnostic(
                    file: loader.display(bundle.directory.appendingPathComponent("solution.sh")),
                    message: "is missing; without it `breakfix scenario verify` cannot prove the scenario works."))
        }
        if s.initKind == .systemd, let from = dockerfileBase(bundle), !from.contains("systemd") && from.hasPrefix("breakfix/base") {
            found.append(
                ScenarioDiagnostic(
                    file: loader.display(bundle.directory.appendingPathComponent("Dockerfile")),
                    message: "init is systemd but the image starts FROM \(from), which has no systemd; use breakfix/systemd:bookworm."))
        }
        return found
    }

    static func statesVictory(_ description: String) -> Bool {
        let lowered = description.lowercased()
        return ["fixed when", "solved when", "done when"].contains { lowered.contains($0) }
    }

    private func dockerfileBase(_ bundle: ScenarioBundle) -> String? {
        guard let text = try? String(contentsOf: bundle.directory.appendingPathComponent("Dockerfile"), encoding: .utf8)
        else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            if words.first?.uppercased() == "FROM" {
                return words.dropFirst().first { !$0.hasPrefix("--") }.map(String.init)
            }
        }
        return nil
    }
}
