import BreakfixCore
import Foundation
import Testing

@testable import Scenarios

/// A scenario folder in a temporary directory, removed when the test ends.
struct Fixture: ~Copyable {
    let root: URL
    let folder: URL

    init(
        slug: String = "nginx-502", yaml: String = Fixture.validYAML, dockerfile: String? = "FROM breakfix/base:bookworm\n",
        check: String? = "echo OK\n", solution: String? = "true\n", start: String? = nil
    ) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-test-\(UUID().uuidString)")
        folder = root.appendingPathComponent(slug)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in [("Dockerfile", dockerfile), ("check.sh", check), ("solution.sh", solution), ("start.sh", start)] {
            if let text { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var loader: ScenarioLoader { ScenarioLoader(displayRoot: root) }

    static let validYAML = """
        title: "Broken nginx after a config change"
        area: web
        difficulty: easy
        time_limit: 15m
        tags: [nginx, systemd]
        init: systemd
        user: admin
        resources: { memory: 256m, cpus: 0.5, pids: 256, disk: 1g }
        network: none
        description: |
          nginx answers 502. Fixed when `curl localhost` shows the shop's home page.
        clues:
          - Look at the error log.
          - Check the socket's owner.
        solution_notes: |
          The socket belonged to root.
        """
}

/// Replaces the line starting with `key:` in the valid YAML (or appends when absent).
func yaml(replacing key: String, with line: String?) -> String {
    var lines = Fixture.validYAML.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let i = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) {
        if let line { lines[i] = line } else { lines.remove(at: i) }
    } else if let line {
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

@Suite struct ScenarioLoaderTests {
    @Test func loadsAValidScenario() throws {
        let fixture = try Fixture()
        let bundle = try fixture.loader.load(fixture.folder)
        let s = bundle.scenario
        #expect(s.slug == "nginx-502")
        #expect(s.title == "Broken nginx after a config change")
        #expect(s.area == "web")
        #expect(s.difficulty == .easy)
        #expect(s.timeLimit == .seconds(900))
        #expect(s.tags == ["nginx", "systemd"])
        #expect(s.initKind == .systemd)
        #expect(s.limits.memoryBytes == 256 << 20)
        #expect(s.limits.cpus == 0.5)
        #expect(s.limits.pids == 256)
        #expect(s.limits.diskBytes == 1 << 30)
        #expect(s.clues.count == 2)
        #expect(bundle.checkScript == Array("echo OK\n".utf8))
        #expect(bundle.startScript == nil)
        #expect(bundle.contentHash.count == 64)
        #expect(bundle.imageTag.hasPrefix("breakfix-scenario/nginx-502:"))
    }

    /// Each bad input and the exact message an author gets.
    static let badYAML: [(String, String)] = [
        (yaml(replacing: "time_limit", with: "time_limit: 15 minutes"),
         "nginx-502/scenario.yaml:4: time_limit \"15 minutes\" is not a duration like 15m or 1h30m."),
        (yaml(replacing: "time_limit", with: "time_limit: 0m"),
         "nginx-502/scenario.yaml:4: time_limit \"0m\" is not a duration like 15m or 1h30m."),
        (yaml(replacing: "time_limit", with: "time_limit: 30m1h"),
         "nginx-502/scenario.yaml:4: time_limit \"30m1h\" is not a duration like 15m or 1h30m."),
        (yaml(replacing: "difficulty", with: "difficulty: eazy"),
         "nginx-502/scenario.yaml:3: difficulty \"eazy\" is not one of easy, medium, hard; did you mean \"easy\"?"),
        (yaml(replacing: "difficulty", with: "difficulty: impossible"),
         "nginx-502/scenario.yaml:3: difficulty \"impossible\" is not one of easy, medium, hard."),
        (yaml(replacing: "init", with: "init: sytemd"),
         "nginx-502/scenario.yaml:6: init \"sytemd\" is not one of systemd, shell; did you mean \"systemd\"?"),
        (yaml(replacing: "network", with: "network: host"),
         "nginx-502/scenario.yaml:9: network \"host\" is not one of none, packages, session."),
        (yaml(replacing: "time_limit", with: "time_limt: 15m"),
         "nginx-502/scenario.yaml:4: unknown key \"time_limt\"; did you mean \"time_limit\"?"),
        (yaml(replacing: "zzz", with: "colour: blue"),
         "nginx-502/scenario.yaml:17: unknown key \"colour\"; known keys are title, area, difficulty, time_limit, tags, init, user, resources, network, tmpfs, description, clues, solution_notes."),
        (yaml(replacing: "title", with: nil),
         "nginx-502/scenario.yaml: title is missing; every scenario needs title, difficulty, time_limit, description."),
        (yaml(replacing: "title", with: "title: \"\""),
         "nginx-502/scenario.yaml:1: title is empty."),
        (yaml(replacing: "title", with: "title: [a, b]"),
         "nginx-502/scenario.yaml:1: title must be a single value, not a list or mapping."),
        (yaml(replacing: "tags", with: "tags: nginx"),
         "nginx-502/scenario.yaml:5: tags must be a list, like [a, b] or lines starting with \"- \"."),
        (yaml(replacing: "tags", with: "tags: [Nginx Web]"),
         "nginx-502/scenario.yaml:5: tag \"Nginx Web\" is not valid: use lowercase letters, digits and dashes."),
        (yaml(replacing: "resources", with: "resources: { memory: lots }"),
         "nginx-502/scenario.yaml:8: resources.memory \"lots\" is not a size like 256m or 1g."),
        (yaml(replacing: "resources", with: "resources: { memory: 4m }"),
         "nginx-502/scenario.yaml:8: resources.memory \"4m\" is too small; give at least 16m."),
        (yaml(replacing: "resources", with: "resources: { cpu: 1 }"),
         "nginx-502/scenario.yaml:8: unknown key \"resources.cpu\"; did you mean \"cpus\"?"),
        (yaml(replacing: "resources", with: "resources: { cpus: many }"),
         "nginx-502/scenario.yaml:8: resources.cpus \"many\" is not a number of CPUs like 0.5 or 2."),
        (yaml(replacing: "resources", with: "resources: { pids: 3 }"),
         "nginx-502/scenario.yaml:8: resources.pids \"3\" is not a whole number from 16 up."),
        (yaml(replacing: "resources", with: "resources: 256m"),
         "nginx-502/scenario.yaml:8: resources must be a mapping like { memory: 256m, cpus: 0.5, pids: 256 }."),
        (yaml(replacing: "zzz", with: "tmpfs: { var/log: 32m }"),
         "nginx-502/scenario.yaml:17: tmpfs path \"var/log\" must be an absolute path."),
        (yaml(replacing: "zzz", with: "tmpfs: { /var/log/app: huge }"),
         "nginx-502/scenario.yaml:17: tmpfs size for /var/log/app is not a size like 32m."),
        (yaml(replacing: "user", with: "user: Admin!"),
         "nginx-502/scenario.yaml:7: user \"Admin!\" is not a valid login name (lowercase letters, digits, - and _)."),
        (yaml(replacing: "zzz", with: "title: again"),
         "nginx-502/scenario.yaml:17: title appears twice; keep one."),
        ("title: [unclosed\n", "nginx-502/scenario.yaml:2: is not valid YAML: while parsing a flow sequence did not find expected ',' or \']\'"),
        ("- just\n- a list\n", "nginx-502/scenario.yaml:1: must be a mapping of keys such as title:, difficulty: and time_limit:."),
    ]

    @Test(arguments: badYAML)
    func reportsBadMetadata(input: String, expected: String) throws {
        let fixture = try Fixture(yaml: input)
        #expect(throws: ScenarioLoadError.self) { try fixture.loader.load(fixture.folder) }
        do {
            _ = try fixture.loader.load(fixture.folder)
        } catch {
            #expect(error.diagnostics.map(\.description).contains(expected), "got \(error.diagnostics)")
        }
    }

    @Test func reportsMissingFilesAndForeignBaseImages() throws {
        let fixture = try Fixture(dockerfile: "# a comment\nFROM debian:bookworm\nRUN true\n", check: nil)
        do {
            _ = try fixture.loader.load(fixture.folder)
            Issue.record("expected an error")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(
                messages.contains(
                    "nginx-502/Dockerfile:2: FROM debian:bookworm is not a Breakfix base image; start FROM breakfix/base:bookworm or breakfix/systemd:bookworm (images are built locally, never pulled)."
                ))
            #expect(messages.contains("nginx-502/check.sh: is missing; every scenario needs one."))
        }
    }

    @Test func rejectsABadSlug() throws {
        let fixture = try Fixture(slug: "Nginx_502")
        do {
            _ = try fixture.loader.load(fixture.folder)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.map(\.description).contains(
                    "Nginx_502: the folder name \"Nginx_502\" is not a valid slug: use lowercase letters, digits and dashes (at most 63)."))
        }
    }

    @Test func hashIgnoresSecretsButNotContext() throws {
        let fixture = try Fixture()
        let first = try fixture.loader.load(fixture.folder).contentHash
        try "echo NO\n".write(to: fixture.folder.appendingPathComponent("check.sh"), atomically: true, encoding: .utf8)
        try "exit 0\n".write(to: fixture.folder.appendingPathComponent("solution.sh"), atomically: true, encoding: .utf8)
        #expect(try fixture.loader.load(fixture.folder).contentHash == first)
        try "FROM breakfix/base:bookworm\nRUN true\n".write(
            to: fixture.folder.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        #expect(try fixture.loader.load(fixture.folder).contentHash != first)
    }

    @Test func unknownSlugSuggestsTheClosest() throws {
        let fixture = try Fixture()
        let results = try ScenarioLibrary(root: fixture.root, loader: fixture.loader).load(slugs: ["nginx-520"])
        guard case .failure(let error) = results.first else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.description.hasSuffix("there is no scenario \"nginx-520\"; did you mean \"nginx-502\"?"))
    }
}
