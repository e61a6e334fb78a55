import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    @Test func helpListsTheCommands() throws {
        let out = try CLI.run(["--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("scenario"))
        #expect(out.stdout.contains("play"))
        let verifyHelp = try CLI.run(["scenario", "verify", "--help"])
        #expect(verifyHelp.stdout.contains("--jobs"))
        #expect(verifyHelp.stdout.contains("--path"))
    }

    @Test func purgeNeedsOneTargetAndSaysWhatItDid() throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-purge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let none = try CLI.run(["purge", "--data-dir", dataDir.path], environment: ["DATABASE_URL": ""])
        #expect(none.status != 0)
        #expect(none.stderr.contains("Give exactly one of --interview or --user."))
        let unknown = try CLI.run(["purge", "--interview", "0123456789abcdef0123456789abcdef", "--data-dir", dataDir.path], environment: ["DATABASE_URL": ""])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("There is no interview 0123456789abcdef0123456789abcdef."))
        let nobody = try CLI.run(["purge", "--user", UUID().uuidString, "--data-dir", dataDir.path], environment: ["DATABASE_URL": ""])
        #expect(nobody.status == 0, "\(nobody.stderr)")
        #expect(nobody.stdout.contains("0 session(s)"))
    }

    @Test func lintNamesFileLineAndFix() throws {
        let library = try TempLibrary()
        try library.add(
            "broken-one",
            files: [
                "scenario.yaml": TempLibrary.yaml().replacingOccurrences(of: "time_limit: 10m", with: "time_limit: 15 minutes"),
                "Dockerfile": "FROM breakfix/base:bookworm\n", "check.sh": "echo NO\n", "solution.sh": "true\n",
            ])
        let out = try CLI.run(["scenario", "lint", "--all", "--path", library.root.path])
        #expect(out.status != 0)
        #expect(out.stdout.contains("broken-one/scenario.yaml:4: time_limit \"15 minutes\" is not a duration like 15m or 1h30m."))
        #expect(out.stdout.contains("lint: 1 scenario(s), 1 problem(s)"))
    }

    @Test func theBuiltInLibraryListsAsJSON() throws {
        let out = try CLI.run(["scenario", "list", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count >= 8)
        for row in rows {
            #expect(row["slug"] is String)
            #expect(row["time_limit_seconds"] is Int)
            #expect(["easy", "medium", "hard"].contains(row["difficulty"] as? String ?? ""))
        }
    }

    @Test func aDeadDockerGivesOneSentenceQuickly() throws {
        let library = try TempLibrary()
        try library.add(
            "flag",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\n",
                "check.sh": "test -e /srv/flag && echo OK || echo NO\n", "solution.sh": "touch /srv/flag\n",
            ])
        let out = try CLI.run(
            ["scenario", "verify", "--all", "--path", library.root.path],
            environment: ["DOCKER_HOST": "unix:///tmp/breakfix-no-such-docker.sock"])
        #expect(out.status != 0)
        #expect(out.seconds < 10)
        #expect(out.stderr.contains("Docker is not answering at unix:///tmp/breakfix-no-such-docker.sock"))
        #expect(out.stderr.contains("make setup"))
        #expect(!out.stderr.contains("Fatal error"))
    }

    @Test func verifyPassesAGoodScenarioAndFailsBadOnes() throws {
        let library = try TempLibrary()
        let check = "if test -e /srv/flag; then echo OK; else echo 'no flag yet'; echo NO; fi\n"
        try library.add(
            "good-flag",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\nCOPY files/motd /etc/motd\n",
                "files/motd": "hello\n", "check.sh": check, "solution.sh": "touch /srv/flag\n",
                "start.sh": "mkdir -p /srv\n",
            ])
        try library.add(
            "always-ok",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\n",
                "check.sh": "echo OK\n", "solution.sh": "true\n",
            ])
        try library.add(
            "lazy-solution",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\n",
                "check.sh": check, "solution.sh": "echo nothing to do\n",
            ])
        try library.add(
            "bad-build",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\nRUN echo step-output && false\n",
                "check.sh": check, "solution.sh": "true\n",
            ])
        try library.add(
            "hanging-check",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\n",
                "check.sh": "sleep 60\n", "solution.sh": "true\n",
            ])
        let out = try CLI.run(["scenario", "verify", "--all", "--path", library.root.path, "--jobs", "2"])
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(out.status != 0)
        #expect(lines.contains { $0.range(of: #"^PASS good-flag \(\d+\.\d+s\)$"#, options: .regularExpression) != nil }, "\(lines)")
        #expect(lines.contains("FAIL always-ok: check.sh says OK before the fix, so it would pass an untouched sandbox."))
        #expect(lines.contains("FAIL lazy-solution: check.sh says NO after solution.sh (no flag yet)."))
        // The engine counts one more step than the Dockerfile has: the LABEL it adds for --label.
        #expect(lines.contains { $0.range(of: #"^FAIL bad-build: The image build failed at Step 2/\d : RUN echo step-output && false:.*step-output"#, options: .regularExpression) != nil }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("FAIL hanging-check: check.sh failed on the broken sandbox: The check did not finish within 10 s") }, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("PASS ") || $0.hasPrefix("FAIL ") }.count == 5)
        #expect(lines.last == "verify: 1 passed, 4 failed")
        let leftovers = try CLI.dockerPS(label: "breakfix.purpose=verify")
        #expect(leftovers.isEmpty, "sandboxes left behind: \(leftovers)")
        try CLI.removeImages(scenarios: ["good-flag", "always-ok", "lazy-solution", "bad-build", "hanging-check"])
    }

    @Test func verifyAcceptsASingleScenarioFolder() throws {
        let library = try TempLibrary()
        let folder = try library.add(
            "single",
            files: [
                "scenario.yaml": TempLibrary.yaml(), "Dockerfile": "FROM breakfix/base:bookworm\n",
                "check.sh": "test -e /srv/flag && echo OK || echo NO\n", "solution.sh": "mkdir -p /srv && touch /srv/flag\n",
            ])
        let out = try CLI.run(["scenario", "verify", "--path", folder.path])
        #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
        #expect(out.stdout.hasPrefix("PASS single ("))
        try CLI.removeImages(scenarios: ["single"])
    }
}

extension CLI {
    /// Asks the engine directly (not through Breakfix), with curl on its socket.
    static func engine(_ method: String, _ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-X", method, "--unix-socket", "/var/run/docker.sock", "http://docker\(path)"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    static func filter(label: String) -> String {
        "{\"label\":[\"\(label)\"]}".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Container ids with a label.
    static func dockerPS(label: String) throws -> [String] {
        let data = try engine("GET", "/containers/json?all=1&filters=\(filter(label: label))")
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.compactMap { $0["Id"] as? String }
    }

    /// Removes the images `verify` built for these test scenarios.
    static func removeImages(scenarios: [String]) throws {
        for slug in scenarios {
            let data = try engine("GET", "/images/json?filters=\(filter(label: "breakfix.scenario=\(slug)"))")
            let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
            for id in list.compactMap({ $0["Id"] as? String }) {
                _ = try engine("DELETE", "/images/\(id)?force=1")
            }
        }
    }
}
