import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import Scenarios
import Testing

@testable import Web

/// A judge whose verdict is written in the source (`// VERDICT WA 3` fails test 3 with WA), so
/// the API's handling of every outcome can be driven without Docker. The real judge has its own
/// tests against the engine (DockerRuntimeTests/JudgeTests).
struct ScriptedJudge: Judge {
    var delay: Duration = .zero

    func judge(_ request: JudgeRequest, progress: @escaping @Sendable (JudgeProgress) async -> Void) async -> JudgeOutcome {
        let words = request.source.split(whereSeparator: \.isWhitespace)
        let index = words.firstIndex(of: "VERDICT")
        let verdict = index.flatMap { Verdict(rawValue: String(words[words.index(after: $0)])) } ?? .AC
        let failing = index.flatMap { $0 + 2 < words.count ? Int(words[$0 + 2]) : nil } ?? request.bundle.tests.count
        await progress(.compiling)
        if verdict == .CE {
            return JudgeOutcome(verdict: .CE, compileOutput: "main.c:1: error: expected ';' <b>")
        }
        await progress(.compiled(output: ""))
        var results: [TestResult] = []
        for test in request.bundle.tests {
            try? await Task.sleep(for: delay)
            let passed = verdict == .AC || test.number < failing
            let result = TestResult(
                n: test.number, verdict: passed ? .AC : verdict, cpuMs: 12, wallMs: 15, memoryKB: 2048,
                detail: passed ? nil : "feedback quoting hidden data")
            results.append(result)
            await progress(.test(result))
            if !passed { return JudgeOutcome(verdict: verdict, failedTest: test.number, tests: results) }
        }
        return JudgeOutcome(verdict: .AC, tests: results)
    }

    func versions(of languages: [LanguageSpec]) async -> [String: String] { [:] }
}

enum ChallengeFixture {
    static let languages = [
        LanguageSpec(
            id: "c", name: "C (gcc)", image: "breakfix/lang-native:bookworm", sourceFile: "main.c", extensions: ["c"],
            compile: ["gcc", "main.c"], run: ["./a.out"], version: ["gcc", "--version"], template: "int main(void) {}\n"),
        LanguageSpec(
            id: "python3", name: "Python 3", image: "breakfix/lang-python:bookworm", sourceFile: "main.py", extensions: ["py"],
            compile: nil, run: ["python3", "main.py"], version: ["python3", "--version"], template: "import sys\n"),
    ]

    /// A challenge with one sample and two hidden tests; the hidden expected output carries a
    /// marker that must never reach a client.
    static func bundle(in directory: URL, slug: String = "sum-two", languageLine: String = "") throws -> ChallengeBundle {
        let folder = directory.appendingPathComponent("challenges/\(slug)")
        for sub in ["samples", "tests", "solutions"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try """
            title: "Sum <b>two</b>"
            difficulty: easy
            tags: [arithmetic]
            limits: { time: 1s, wall: 3s, memory: 64m, output: 64k }
            checker: tokens
            \(languageLine)
            statement: |
              Read **a** and b, print a+b. <script>alert(1)</script>
            """.write(to: folder.appendingPathComponent("challenge.yaml"), atomically: true, encoding: .utf8)
        let files = [
            "samples/01.in": "1 2\n", "samples/01.out": "3\n", "tests/01.in": "40 2\n", "tests/01.out": "42\n",
            "tests/02.in": "1000000 1\n", "tests/02.out": "1000001 HIDDENMARK\n", "solutions/ac-main.c": "int main(){}\n",
        ]
        for (path, text) in files {
            try text.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        return try ChallengeLoader(displayRoot: directory, languages: languages).load(folder)
    }
}

@Suite struct ChallengeAPITests {
    static func harness(judge: any Judge = ScriptedJudge(), maxQueued: Int = 3) async throws -> (WebHarness, SubmissionService) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-challenge-\(UUID().uuidString)")
        let bundle = try ChallengeFixture.bundle(in: scratch)
        let holder = ServiceHolder()
        let h = try await WebHarness.make(dependencies: { database, dependencies in
            let service = SubmissionService(
                store: FluentSubmissionStore(database: database), challenges: ChallengeCatalog([bundle]),
                languages: ChallengeFixture.languages, maxQueuedPerUser: maxQueued, perMinute: 100)
            dependencies.submissions = service
            dependencies.contests = FluentContestStore(database: database)
            holder.service = service
        })
        try? FileManager.default.removeItem(at: scratch)
        return (h, try #require(holder.service))
    }

    final class ServiceHolder: @unchecked Sendable { var service: SubmissionService? }

    static func submit(_ client: any TestClientProtocol, cookie: String? = nil, language: String = "c", source: String, contest: String? = nil)
        async throws -> TestResponse
    {
        var body: [String: Any] = ["language": language, "source": source]
        if let contest { body["contest"] = contest }
        return try await client.execute(
            uri: "/api/challenges/sum-two/submissions", method: .post, headers: headers(cookie: cookie), body: jsonBody(body))
    }

    /// Claims the next queued submission and judges it, as a worker would.
    static func judgeNext(_ service: SubmissionService, judge: any Judge = ScriptedJudge()) async throws {
        let claimed = try #require(try await service.store.claimNextSubmission(worker: "test-worker"))
        await service.judgeOne(claimed, judge: judge)
    }

    @Test func catalogLanguagesAndAChallengeWithoutItsHiddenTests() async throws {
        let (h, _) = try await Self.harness()
        defer { Task { await h.close() } }
        try await h.test { client in
            let languages = try await client.execute(uri: "/api/languages", method: .get)
            #expect(languages.status == .ok)
            #expect(languages.text.contains("\"id\":\"c\"") && languages.text.contains("python3"))
            let list = try await client.execute(uri: "/api/challenges", method: .get)
            #expect(list.text.contains("sum-two"))
            let one = try await client.execute(uri: "/api/challenges/sum-two", method: .get)
            #expect(one.status == .ok)
            #expect(one.text.contains("\"samples\"") && one.text.contains("1 2"))
            #expect(!one.text.contains("HIDDENMARK"), "hidden expected outputs never leave the server")
            #expect(one.json["tests"] as? Int == 3)
            let missing = try await client.execute(uri: "/api/challenges/nope", method: .get)
            #expect(missing.status == .notFound)
            #expect((missing.json["error"] as? String)?.contains("no challenge") == true)

            let page = try await client.execute(uri: "/challenges/sum-two", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("textarea id=\"source\""))
            #expect(!page.text.contains("<script>alert(1)</script>") && !page.text.contains("Sum <b>two</b>"), "author text is escaped")
            #expect(!page.text.contains("HIDDENMARK"))
            let catalog = try await client.execute(uri: "/", method: .get)
            #expect(catalog.text.contains("href=\"/challenges/sum-two\"") && catalog.text.contains("data-kind=\"challenge\""))
        }
    }

    @Test func refusalsSaySentences() async throws {
        let (h, _) = try await Self.harness(maxQueued: 2)
        defer { Task { await h.close() } }
        try await h.test { client in
            let unknown = try await Self.submit(client, language: "cobol", source: "x")
            #expect(unknown.status == .badRequest)
            #expect((unknown.json["error"] as? String)?.contains("choose one of c, python3") == true)
            let empty = try await Self.submit(client, source: "   \n")
            #expect(empty.status == .badRequest)
            let huge = try await Self.submit(client, source: String(repeating: "x", count: 70_000))
            #expect(huge.status == .contentTooLarge || huge.status == .badRequest)
            let notJSON = try await client.execute(
                uri: "/api/challenges/sum-two/submissions", method: .post, headers: headers(), body: ByteBuffer(string: "{"))
            #expect(notJSON.status == .badRequest)

            let first = try await Self.submit(client, source: "int main(){}")
            #expect(first.status == .accepted)
            let cookie = try #require(first.tokenCookie)
            #expect(try await Self.submit(client, cookie: cookie, source: "int main(){}").status == .accepted)
            let third = try await Self.submit(client, cookie: cookie, source: "int main(){}")
            #expect(third.status == .tooManyRequests, "a user's queue is capped")
            #expect((third.json["error"] as? String)?.contains("waiting to be judged") == true)
        }
    }

    @Test func verdictsTimingsAndWhatIsHidden() async throws {
        let (h, service) = try await Self.harness()
        defer { Task { await h.close() } }
        try await h.test { client in
            let submitted = try await Self.submit(client, source: "// VERDICT WA 3\nint main(){}")
            #expect(submitted.status == .accepted)
            #expect(submitted.json["state"] as? String == "queued")
            let id = try #require(submitted.json["id"] as? String)
            let cookie = try #require(submitted.tokenCookie)
            try await Self.judgeNext(service)

            let result = try await client.execute(uri: "/api/submissions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(result.status == .ok)
            #expect(result.json["verdict"] as? String == "WA")
            #expect(result.json["failed_test"] as? Int == 3)
            #expect(result.json["challenge"] as? String == "sum-two" && result.json["language"] as? String == "c")
            let tests = try #require(result.json["tests"] as? [[String: Any]])
            #expect(tests.map { $0["verdict"] as? String } == ["AC", "AC", "WA"])
            #expect(tests.allSatisfy { $0["cpu_ms"] is Int && $0["wall_ms"] is Int && $0["memory_kb"] is Int })
            #expect(!result.text.contains("hidden data"), "a checker's feedback on a hidden test is not shown")

            #expect(try await client.execute(uri: "/api/submissions/\(id)", method: .get).status == .notFound, "not someone else's")
            let page = try await client.execute(uri: "/submissions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(page.status == .ok && page.text.contains("VERDICT WA 3"))

            let ce = try await Self.submit(client, cookie: cookie, source: "// VERDICT CE\n")
            let ceID = try #require(ce.json["id"] as? String)
            try await Self.judgeNext(service)
            let ceResult = try await client.execute(uri: "/api/submissions/\(ceID)", method: .get, headers: headers(cookie: cookie))
            #expect(ceResult.json["verdict"] as? String == "CE")
            #expect((ceResult.json["compile_output"] as? String)?.contains("expected ';'") == true)

            let history = try await client.execute(uri: "/api/challenges/sum-two/submissions", method: .get, headers: headers(cookie: cookie))
            let rows = (try? JSONSerialization.jsonObject(with: Data(buffer: history.body))) as? [[String: Any]] ?? []
            #expect(rows.map { $0["verdict"] as? String } == ["CE", "WA"], "newest first")
        }
    }

    @Test func verdictsArePushedAsTheJudgeGoes() async throws {
        let judge = ScriptedJudge(delay: .milliseconds(150))
        let (h, service) = try await Self.harness(judge: judge)
        defer { Task { await h.close() } }
        try await h.test { client in
            let submitted = try await Self.submit(client, source: "int main(){}")
            let id = try #require(submitted.json["id"] as? String)
            let cookie = try #require(submitted.tokenCookie)
            let worker = Task { try await Self.judgeNext(service, judge: judge) }
            let events = try await client.execute(uri: "/api/submissions/\(id)/events", method: .get, headers: headers(cookie: cookie))
            try await worker.value
            #expect(events.headers[.contentType] == "text/event-stream")
            let states = events.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) as? [String: Any]
            }
            let counts = states.map { ($0["tests"] as? [Any])?.count ?? 0 }
            #expect(states.count >= 4, "the start, each test, and the verdict: \(counts)")
            #expect(counts == counts.sorted(), "tests only ever get added")
            #expect(states.last?["verdict"] as? String == "AC" && states.last?["state"] as? String == "done")
            #expect(states.contains { ($0["tests"] as? [Any])?.count == 1 && $0["state"] as? String == "running" }, "a partial state was pushed")
        }
    }

    @Test func leaderboardFirstAcceptedThenFewestAttempts() async throws {
        let (h, service) = try await Self.harness()
        defer { Task { await h.close() } }
        try await h.test { client in
            let alice = try await InterviewAPITests.register(client, "alice")
            let bob = try await InterviewAPITests.register(client, "bob")
            _ = try await Self.submit(client, cookie: bob, source: "// VERDICT WA 2")
            try await Self.judgeNext(service)
            _ = try await Self.submit(client, cookie: alice, source: "int main(){}")
            try await Self.judgeNext(service)
            _ = try await Self.submit(client, cookie: bob, source: "int main(){}")
            try await Self.judgeNext(service)
            let board = try await client.execute(uri: "/api/challenges/sum-two/leaderboard", method: .get)
            let rows = (try? JSONSerialization.jsonObject(with: Data(buffer: board.body))) as? [[String: Any]] ?? []
            #expect(rows.map { $0["username"] as? String } == ["alice", "bob"])
            #expect(rows.map { $0["attempts"] as? Int } == [1, 2])
        }
    }

    @Test func contestWindowJoinAndScoreboard() async throws {
        let (h, service) = try await Self.harness()
        defer { Task { await h.close() } }
        try await h.test { client in
            let hash = try await Passwords.hash("correct horse battery", cost: 4)
            try await FluentUserStore(database: h.database).createUser(UserRecord(username: "root1", passwordHash: hash, isAdmin: true))
            let login = try await client.execute(
                uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": "root1", "password": "correct horse battery"]))
            let admin = try #require(login.tokenCookie)
            let player = try await InterviewAPITests.register(client, "carol")

            let now = Date()
            func create(_ cookie: String, starts: Date, ends: Date) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/contests", method: .post, headers: headers(cookie: cookie),
                    body: jsonBody([
                        "title": "Friday cup", "starts_at": starts.formatted(.iso8601), "ends_at": ends.formatted(.iso8601),
                        "items": [["kind": "challenge", "slug": "sum-two"], ["kind": "scenario", "slug": "flag-test"]],
                        "scoring": "icpc", "freeze_minutes": 0,
                    ]))
            }
            let refused = try await create(player, starts: now, ends: now.addingTimeInterval(3600))
            #expect(refused.status == .forbidden, "only an admin creates contests")
            let later = try await create(admin, starts: now.addingTimeInterval(3600), ends: now.addingTimeInterval(7200))
            #expect(later.status == .created)
            let laterID = try #require(later.json["id"] as? String)
            let running = try await create(admin, starts: now.addingTimeInterval(-60), ends: now.addingTimeInterval(3600))
            let id = try #require(running.json["id"] as? String)

            // Not joined yet: refused with a sentence.
            let early = try await Self.submit(client, cookie: player, source: "int main(){}", contest: id)
            #expect(early.status == .forbidden)
            #expect((early.json["error"] as? String)?.contains("Join the contest") == true)
            #expect(try await client.execute(uri: "/api/contests/\(id)/join", method: .post, headers: headers(cookie: player)).status == .ok)
            #expect(try await client.execute(uri: "/api/contests/\(laterID)/join", method: .post, headers: headers(cookie: player)).status == .ok)
            let notStarted = try await Self.submit(client, cookie: player, source: "int main(){}", contest: laterID)
            #expect(notStarted.status == .forbidden && (notStarted.json["error"] as? String)?.contains("not started") == true)

            _ = try await Self.submit(client, cookie: player, source: "// VERDICT WA 2", contest: id)
            try await Self.judgeNext(service)
            _ = try await Self.submit(client, cookie: player, source: "int main(){}", contest: id)
            try await Self.judgeNext(service)
            let board = try await client.execute(uri: "/api/contests/\(id)/scoreboard", method: .get)
            #expect(board.status == .ok)
            #expect(board.json["frozen"] as? Bool == false)
            let rows = try #require(board.json["rows"] as? [[String: Any]])
            #expect(rows.count == 1 && rows.first?["username"] as? String == "carol")
            #expect(rows.first?["solved"] as? Int == 1)
            #expect(rows.first?["penalty_minutes"] as? Int == 21, "1 minute in, plus 20 for the rejected try")
            let items = try #require(rows.first?["items"] as? [[String: Any]])
            #expect(items.first?["attempts"] as? Int == 2)

            // Visible items: a stranger sees none while it runs.
            let stranger = try await client.execute(uri: "/api/contests/\(id)", method: .get)
            #expect((stranger.json["items"] as? [Any])?.isEmpty == true)
            let page = try await client.execute(uri: "/contests/\(id)", method: .get, headers: headers(cookie: player))
            #expect(page.status == .ok && page.text.contains("/challenges/sum-two?contest=\(id)"))
        }
    }

    /// A contest that ends in 2 s: a submission and a scenario check made in it before the end
    /// count; one second after the end both are refused with a sentence, and the board keeps
    /// only what came in time.
    @Test func afterTheEndNothingCounts() async throws {
        let (h, service) = try await Self.harness()
        defer { Task { await h.close() } }
        try await h.test { client in
            let hash = try await Passwords.hash("correct horse battery", cost: 4)
            try await FluentUserStore(database: h.database).createUser(UserRecord(username: "root2", passwordHash: hash, isAdmin: true))
            let login = try await client.execute(
                uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": "root2", "password": "correct horse battery"]))
            let admin = try #require(login.tokenCookie)
            let player = try await InterviewAPITests.register(client, "dave")
            let end = Date().addingTimeInterval(2)
            let created = try await client.execute(
                uri: "/api/contests", method: .post, headers: headers(cookie: admin),
                body: jsonBody([
                    "title": "Sprint", "starts_at": Date().addingTimeInterval(-60).formatted(.iso8601),
                    "ends_at": end.formatted(.iso8601),
                    "items": [["kind": "challenge", "slug": "sum-two"], ["kind": "scenario", "slug": "flag-test"]],
                ]))
            let id = try #require(created.json["id"] as? String)
            #expect(try await client.execute(uri: "/api/contests/\(id)/join", method: .post, headers: headers(cookie: player)).status == .ok)
            let started = try await client.execute(
                uri: "/api/sessions", method: .post, headers: headers(cookie: player),
                body: jsonBody(["scenario": "flag-test", "contest": id]))
            #expect(started.status == .accepted)
            let session = try #require(started.json["id"] as? String)
            _ = try await h.sessions.provisionNext(worker: "test")
            #expect(try await Self.submit(client, cookie: player, source: "// VERDICT WA 2", contest: id).status == .accepted)
            try await Self.judgeNext(service)

            // One second after the end (ISO 8601 keeps whole seconds, so wait past it).
            let wait = end.timeIntervalSinceNow + 1.2
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            let late = try await Self.submit(client, cookie: player, source: "int main(){}", contest: id)
            #expect(late.status == .forbidden)
            #expect((late.json["error"] as? String)?.contains("ended") == true, "\(late.text)")
            let check = try await client.execute(uri: "/api/sessions/\(session)/check", method: .post, headers: headers(cookie: player))
            #expect(check.status == .forbidden, "a contest session's check after the end is refused")
            #expect((check.json["error"] as? String)?.contains("ended") == true)
            let board = try await client.execute(uri: "/api/contests/\(id)/scoreboard", method: .get)
            let rows = try #require(board.json["rows"] as? [[String: Any]])
            #expect(rows.first?["solved"] as? Int == 0)
            let items = try #require(rows.first?["items"] as? [[String: Any]])
            #expect(items.first?["attempts"] as? Int == 1, "the try before the end counts, the refused one does not exist")
        }
    }
}
