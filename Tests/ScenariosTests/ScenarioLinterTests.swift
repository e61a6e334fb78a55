import BreakfixCore
import Foundation
import Testing

@testable import Scenarios

@Suite struct ScenarioLinterTests {
    @Test func aGoodScenarioHasNoFindings() throws {
        let fixture = try Fixture(dockerfile: "FROM breakfix/systemd:bookworm\n")
        let bundle = try fixture.loader.load(fixture.folder)
        let linter = ScenarioLinter(areas: ["web", "dns"], tags: ["nginx", "systemd"], loader: fixture.loader)
        #expect(linter.lint(bundle) == [])
    }

    @Test func flagsQualityProblems() throws {
        let text = yaml(replacing: "clues", with: nil)
            .replacingOccurrences(of: "  - Look at the error log.\n  - Check the socket's owner.\n", with: "")
            .replacingOccurrences(of: "Fixed when", with: "Maybe")
            .replacingOccurrences(of: "time_limit: 15m", with: "time_limit: 2h")
            .replacingOccurrences(of: "area: web", with: "area: webb")
            .replacingOccurrences(of: "init: systemd", with: "init: systemd")
        let fixture = try Fixture(yaml: text, solution: nil)
        let bundle = try fixture.loader.load(fixture.folder)
        let linter = ScenarioLinter(areas: ["web", "dns"], tags: ["nginx"], loader: fixture.loader)
        let messages = linter.lint(bundle).map(\.description)
        #expect(messages.contains("nginx-502/scenario.yaml: clues are missing; give 2–3, from a gentle nudge to the specific fix."))
        #expect(messages.contains("nginx-502/scenario.yaml: description has no victory condition; add a sentence starting \"Fixed when\" that says how the user can see it works."))
        #expect(messages.contains("nginx-502/scenario.yaml: time_limit 120m is outside 5m–60m."))
        #expect(messages.contains("nginx-502/scenario.yaml: area \"webb\" is not in AREAS; did you mean \"web\"?"))
        #expect(messages.contains("nginx-502/scenario.yaml: tag \"systemd\" is not in TAGS; add it there if it is a new topic."))
        #expect(messages.contains("nginx-502/solution.sh: is missing; without it `breakfix scenario verify` cannot prove the scenario works."))
        #expect(messages.contains("nginx-502/Dockerfile: init is systemd but the image starts FROM breakfix/base:bookworm, which has no systemd; use breakfix/systemd:bookworm."))
    }
}
