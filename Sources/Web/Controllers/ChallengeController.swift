import BreakfixCore
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The toolchain versions of the judge's languages, asked of the engine once (in the background at
/// start); empty until known or when this server has no engine of its own for judging.
public actor LanguageVersions {
    private var versions: [String: String] = [:]
    public init() {}
    public func set(_ versions: [String: String]) { self.versions = versions }
    public func get() -> [String: String] { versions }
}

/// Code challenges: the catalog entries, a challenge's page with its editor, submissions and their
/// verdicts pushed live, history and the per-challenge leaderboard.
struct ChallengeController: Sendable {
    let submissions: SubmissionService
    let versions: LanguageVersions
    let identity: Identity
    let templates: MustacheLibrary
    /// Checks that a submission for a contest is allowed now (the contest controller's rules).
    var contestGate: (@Sendable (_ contestID: String, _ slug: String, _ userID: UUID) async throws -> Void)?

    func addRoutes(api: RouterGroup<AppRequestContext>, pages router: Router<AppRequestContext>) {
        api.get("languages", use: languages)
        api.get("challenges", use: list)
        api.get("challenges/:slug", use: show)
        api.post("challenges/:slug/submissions", use: submit)
        api.get("challenges/:slug/submissions", use: history)
        api.get("challenges/:slug/leaderboard", use: leaderboard)
        api.get("submissions/:id", use: submission)
        api.get("submissions/:id/events", use: events)

        router.get("challenges/:slug", use: page)
        router.get("submissions/:id", use: submissionPage)
    }

    // MARK: JSON

    struct LanguageJSON: ResponseEncodable {
        var id, name: String
        var version: String?
        var source_file: String
        var template: String
    }

    struct ChallengeSummaryJSON: ResponseEncodable {
        var slug, title, difficulty, checker: String
        var tags: [String]
        var languages: [String]
        var tests: Int
    }

    struct LimitsJSON: ResponseEncodable {
        var time_ms, wall_ms, memory_kb, output_kb: Int
    }

    struct SampleJSON: ResponseEncodable {
        var n: Int
        var input, output: String
    }

    struct ChallengeJSON: ResponseEncodable {
        var slug, title, difficulty, checker, scoring: String
        var tags: [String]
        var languages: [String]
        var limits: LimitsJSON
        var statement: String
        var samples: [SampleJSON]
        var tests: Int
    }

    struct SubmitRequest: Decodable {
        var language: String
        var source: String
        var contest: String?
    }

    struct SubmittedJSON: ResponseEncodable {
        var id, state: String
    }

    struct TestJSON: Codable, ResponseEncodable {
        var n: Int
        var verdict: String
        var cpu_ms, wall_ms, memory_kb: Int
        var detail: String?
    }

    struct SubmissionJSON: Codable, ResponseEncodable {
        var id, challenge, language, state: String
        var verdict: String?
        var verdict_text: String?
        var failed_test: Int?
        var compile_output: String?
        var tests: [TestJSON]
        var test_count: Int
        var created_at: String
        var finished_at: String?
        var source: String?
        var contest: String?
    }

    struct BoardRowJSON: ResponseEncodable {
        var rank: Int
        var username: String
        var solve_seconds: Int
        var attempts: Int
        var language: String
        var solved_at: String
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }

    func summary(_ bundle: ChallengeBundle) -> ChallengeSummaryJSON {
        let c = bundle.challenge
        return ChallengeSummaryJSON(
            slug: c.slug, title: c.title, difficulty: c.difficulty.rawValue, checker: c.checker.description, tags: c.tags,
            languages: submissions.languages(for: c).map(\.id), tests: bundle.tests.count)
    }

    @Sendable func languages(_ request: Request, context: AppRequestContext) async throws -> [LanguageJSON] {
        let versions = await versions.get()
        return submissions.languages.map {
            LanguageJSON(id: $0.id, name: $0.name, version: versions[$0.id], source_file: $0.sourceFile, template: $0.template)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [ChallengeSummaryJSON] {
        submissions.challenges.bundles.map(summary)
    }

    func bundle(_ context: AppRequestContext) throws -> ChallengeBundle {
        let slug = try context.parameters.require("slug")
        guard let bundle = submissions.challenges[slug] else { throw APIError(.notFound, SubmissionError.unknownChallenge(slug).description) }
        return bundle
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ChallengeJSON {
        let bundle = try bundle(context)
        let c = bundle.challenge
        return ChallengeJSON(
            slug: c.slug, title: c.title, difficulty: c.difficulty.rawValue, checker: c.checker.description,
            scoring: c.scoring.rawValue, tags: c.tags, languages: submissions.languages(for: c).map(\.id),
            limits: LimitsJSON(
                time_ms: Self.milliseconds(c.limits.cpuTime), wall_ms: Self.milliseconds(c.limits.wallTime),
                memory_kb: Int(c.limits.memoryBytes / 1024), output_kb: Int(c.limits.outputBytes / 1024)),
            statement: c.statement,
            samples: bundle.samples.map {
                SampleJSON(n: $0.number, input: String(decoding: $0.input, as: UTF8.self), output: String(decoding: $0.expected, as: UTF8.self))
            },
            tests: bundle.tests.count)
    }

    static func apiError(_ error: SubmissionError) -> APIError {
        switch error {
        case .unknownChallenge, .notFound: APIError(.notFound, error.description)
        case .unknownLanguage, .languageNotAllowed, .emptySource: APIError(.badRequest, error.description)
        case .sourceTooLarge: APIError(.contentTooLarge, error.description)
        case .tooManyQueued, .rateLimited: APIError(.tooManyRequests, error.description, headers: [.retryAfter: "10"])
        case .judgeUnavailable: APIError(.serviceUnavailable, error.description)
        case .notInContestWindow: APIError(.forbidden, error.description)
        }
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var context = context
        let bundle = try bundle(context)
        let body = try await APIController.decode(SubmitRequest.self, request, context)
        let (user, cookie) = try await identity.ensure(&context)
        do {
            if let contest = body.contest {
                guard let gate = contestGate else { throw SubmissionError.notInContestWindow("There is no contest \(contest).") }
                try await gate(contest, bundle.challenge.slug, user.id)
            }
            let record = try await submissions.submit(
                userID: user.id, challenge: bundle.challenge.slug, language: body.language, source: body.source,
                contestID: body.contest)
            var response = try SubmittedJSON(id: record.id, state: record.state.rawValue).response(from: request, context: context)
            response.status = .accepted
            if let cookie { response.setCookie(cookie) }
            return response
        } catch let error as SubmissionError {
            throw Self.apiError(error)
        }
    }

    static func json(_ s: SubmissionRecord, samples: Set<Int>, includeSource: Bool) -> SubmissionJSON {
        SubmissionJSON(
            id: s.id, challenge: s.challenge, language: s.language, state: s.state.rawValue, verdict: s.verdict?.rawValue,
            verdict_text: s.verdict?.sentence, failed_test: s.failedTest, compile_output: s.compileOutput,
            tests: s.tests.sorted { $0.n < $1.n }.map { t in
                // A hidden test's data never leaves the server: a checker's feedback on a hidden
                // test may quote it, so only samples keep it. Signal names and exit codes stay.
                let detail = (t.verdict == .WA && !samples.contains(t.n)) ? nil : t.detail
                return TestJSON(n: t.n, verdict: t.verdict.rawValue, cpu_ms: t.cpuMs, wall_ms: t.wallMs, memory_kb: t.memoryKB, detail: detail)
            },
            test_count: s.testCount, created_at: APIController.iso(s.createdAt), finished_at: s.finishedAt.map(APIController.iso),
            source: includeSource ? s.source : nil, contest: s.contestID)
    }

    func sampleNumbers(_ slug: String) -> Set<Int> {
        Set(submissions.challenges[slug]?.samples.map(\.number) ?? [])
    }

    func owned(_ context: AppRequestContext) async throws -> SubmissionRecord {
        let id = try context.parameters.require("id")
        guard let user = context.user, id.count == 32, id.allSatisfy(\.isHexDigit) else {
            throw APIError(.notFound, SubmissionError.notFound.description)
        }
        do {
            return try await submissions.submission(id, userID: user.id)
        } catch let error as SubmissionError {
            throw Self.apiError(error)
        }
    }

    @Sendable func submission(_ request: Request, context: AppRequestContext) async throws -> SubmissionJSON {
        let s = try await owned(context)
        return Self.json(s, samples: sampleNumbers(s.challenge), includeSource: true)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> [SubmissionJSON] {
        let bundle = try bundle(context)
        guard let user = context.user else { return [] }
        let samples = Set(bundle.samples.map(\.number))
        return try await submissions.store.submissions(userID: user.id, challenge: bundle.challenge.slug, limit: 50)
            .map { Self.json($0, samples: samples, includeSource: false) }
    }

    @Sendable func leaderboard(_ request: Request, context: AppRequestContext) async throws -> [BoardRowJSON] {
        let bundle = try bundle(context)
        return try await submissions.store.challengeLeaderboard(challenge: bundle.challenge.slug, limit: 100).map {
            BoardRowJSON(
                rank: $0.rank, username: $0.username, solve_seconds: $0.solveSeconds, attempts: $0.attempts,
                language: $0.language, solved_at: APIController.iso($0.solvedAt))
        }
    }

    /// Server-sent events: the submission as JSON each time the judge reports (compiled, each
    /// test, the verdict), until it is done. Progress from a worker in this process arrives at
    /// once; a worker in another process (`breakfix judge-worker`) is seen by re-reading the row
    /// every 250 ms.
    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let first = try await owned(context)
        let submissions = self.submissions
        let samples = sampleNumbers(first.challenge)
        let updates = await submissions.events.subscribe(first.id)
        let body = ResponseBody { writer in
            let (merged, input) = AsyncStream<SubmissionRecord?>.makeStream(bufferingPolicy: .bufferingNewest(16))
            let forward = Task {
                for await update in updates { input.yield(update) }
                input.finish()
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    input.yield(nil)
                }
            }
            defer {
                forward.cancel()
                ticker.cancel()
            }
            func send(_ s: SubmissionRecord) async throws {
                let data = try JSONEncoder().encode(Self.json(s, samples: samples, includeSource: false))
                try await writer.write(ByteBuffer(string: "data: " + String(decoding: data, as: UTF8.self) + "\n\n"))
            }
            var last = first
            try await send(first)
            var ticks = 0
            var iterator = merged.makeAsyncIterator()
            while last.state != .done {
                guard let item = await iterator.next() else { break }
                var next = item
                if next == nil {
                    ticks += 1
                    next = try await submissions.store.submission(id: first.id)
                    if ticks % 12 == 0 { try await writer.write(ByteBuffer(string: ": ping\n\n")) }
                }
                guard let current = next, current != last else { continue }
                last = current
                try await send(current)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    // MARK: Pages

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let slug = context.parameters.get("slug"), let bundle = submissions.challenges[slug] else {
            return PageController.render(
                templates, "message", title: "Not found", context: context,
                ["heading": "Not found", "text": "There is no such challenge."], status: .notFound)
        }
        let c = bundle.challenge
        let versions = await versions.get()
        let languages: [[String: Any]] = submissions.languages(for: c).map {
            ["id": $0.id, "name": $0.name, "version": versions[$0.id] ?? ""]
        }
        let templatesJSON = String(
            decoding: (try? JSONEncoder().encode(Dictionary(uniqueKeysWithValues: submissions.languages(for: c).map { ($0.id, $0.template) })))
                ?? Data("{}".utf8), as: UTF8.self)
        let samples: [[String: Any]] = bundle.samples.map {
            ["n": $0.number, "input": String(decoding: $0.input, as: UTF8.self), "output": String(decoding: $0.expected, as: UTF8.self)]
        }
        let requested: String = request.uri.queryParameters.get("contest").map { String($0) } ?? ""
        // Only an id-shaped value goes into the page (it is also put in an attribute).
        let contest = requested.count == 32 && requested.allSatisfy(\.isHexDigit) ? requested : ""
        return PageController.render(
            templates, "challenge", title: c.title, context: context,
            [
                "slug": c.slug, "title": c.title, "difficulty": c.difficulty.rawValue, "tags": c.tags,
                "statement_html": Markdown.html(c.statement), "samples": samples, "languages": languages,
                "templates_json": templatesJSON.replacingOccurrences(of: "</", with: "<\\/"),
                "time": Self.seconds(c.limits.cpuTime), "wall": Self.seconds(c.limits.wallTime),
                "memory_mb": c.limits.memoryBytes >> 20, "output_kb": c.limits.outputBytes >> 10,
                "checker": c.checker.description, "test_count": bundle.tests.count, "scoring_all": c.scoring == .all,
                "contest": contest, "in_contest": !contest.isEmpty,
            ], status: .ok)
    }

    static func seconds(_ d: Duration) -> String {
        let ms = milliseconds(d)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : String(format: "%.2f s", Double(ms) / 1000)
    }

    @Sendable func submissionPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let s = try? await owned(context), let bundle = submissions.challenges[s.challenge] else {
            return PageController.render(
                templates, "message", title: "Not found", context: context,
                ["heading": "Not found", "text": "There is nothing here, or it is not yours."], status: .notFound)
        }
        let json = Self.json(s, samples: Set(bundle.samples.map(\.number)), includeSource: true)
        let tests: [[String: Any]] = json.tests.map {
            ["n": $0.n, "verdict": $0.verdict, "cpu_ms": $0.cpu_ms, "wall_ms": $0.wall_ms, "memory_kb": $0.memory_kb, "detail": $0.detail ?? ""]
        }
        var values: [String: Any] = [
            "id": s.id, "slug": s.challenge, "title": bundle.challenge.title, "language": s.language,
            "verdict": s.verdict?.rawValue ?? s.state.rawValue, "verdict_text": s.verdict?.sentence ?? "Being judged",
            "tests": tests, "source": s.source, "created_at": APIController.iso(s.createdAt),
        ]
        // Sections only for what exists: an empty string would still open a Mustache section.
        if let failed = s.failedTest { values["failed_test"] = String(failed) }
        if let output = s.compileOutput, !output.isEmpty { values["compile_output"] = output }
        return PageController.render(
            templates, "submission", title: "Submission to \(bundle.challenge.title)", context: context, values, status: .ok)
    }
}
