import BreakfixCore
import Foundation
import Hummingbird
import Mustache

/// Server-rendered pages. Their scripts call the JSON API for anything that changes state,
/// except the login and registration forms, which work without JavaScript.
struct PageController: Sendable {
    let sessions: SessionService
    let users: any UserStore
    let identity: Identity
    let templates: MustacheLibrary
    let api: APIController
    let interviews: InterviewService?
    var challenges: ChallengeCatalog?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: catalog)
        router.get("scenarios/:slug", use: scenario)
        router.get("sessions/:id", use: session)
        router.get("sessions/:id/results", use: results)
        router.get("leaderboard", use: leaderboard)
        router.get("leaderboard/:slug", use: leaderboard)
        router.get("login", use: loginForm)
        router.post("login", use: loginSubmit)
        router.get("register", use: registerForm)
        router.post("register", use: registerSubmit)
        router.post("logout", use: logoutSubmit)
        router.get("profile", use: profile)
    }

    // MARK: Rendering

    func page(_ template: String, title: String, context: AppRequestContext, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        Self.render(templates, template, title: title, context: context, values, status: status)
    }

    /// A page of the site: the template with its title and the signed-in user for the header.
    static func render(
        _ templates: MustacheLibrary, _ template: String, title: String, context: AppRequestContext, _ values: [String: Any],
        status: HTTPResponse.Status
    ) -> Response {
        var object = values
        object["page_title"] = title
        if let user = context.user, let name = user.username {
            object["user"] = ["username": name]
        }
        let html = templates.render(object, withTemplate: template) ?? "<p>Template \(template) is missing.</p>"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func notFound(_ context: AppRequestContext) -> Response {
        page("message", title: "Not found", context: context, ["heading": "Not found", "text": "There is nothing here, or it is not yours."], status: .notFound)
    }

    static func minutes(_ seconds: Int) -> String { "\(seconds / 60) min" }

    static func elapsed(_ seconds: Int) -> String {
        if seconds >= 3600 { return String(format: "%dh%02dm", seconds / 3600, seconds % 3600 / 60) }
        return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
    }

    // MARK: Catalog and scenarios

    @Sendable func catalog(_ request: Request, context: AppRequestContext) async throws -> Response {
        var solved: Set<String> = []
        if let user = context.user {
            solved = Set(try await sessions.store.sessions(userID: user.id).filter { $0.solvedAt != nil }.map(\.scenario))
        }
        let tags = Set(sessions.catalog.bundles.flatMap(\.scenario.tags)).sorted()
        let cards: [[String: Any]] = sessions.catalog.bundles.map { bundle in
            let s = bundle.scenario
            return [
                "slug": s.slug, "title": s.title, "difficulty": s.difficulty.rawValue, "area": s.area ?? "",
                "minutes": Self.minutes(s.timeLimitSeconds), "tags": s.tags, "tags_joined": s.tags.joined(separator: " "),
                "solved": solved.contains(s.slug),
            ]
        }
        let challengeCards: [[String: Any]] = (challenges?.bundles ?? []).map { bundle in
            let c = bundle.challenge
            return [
                "slug": c.slug, "title": c.title, "difficulty": c.difficulty.rawValue, "tags": c.tags,
                "tags_joined": c.tags.joined(separator: " "), "checker": c.checker.description, "tests": bundle.tests.count,
            ]
        }
        let allTags = Set(tags + challengeCards.flatMap { $0["tags"] as? [String] ?? [] }).sorted()
        return page(
            "catalog", title: "Catalog", context: context,
            [
                "cards": cards, "tags": allTags, "count": cards.count, "challenge_cards": challengeCards,
                "challenge_count": challengeCards.count, "has_challenges": !challengeCards.isEmpty,
            ])
    }

    @Sendable func scenario(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let slug = context.parameters.get("slug"), let bundle = sessions.catalog[slug] else { return notFound(context) }
        let s = bundle.scenario
        return page(
            "scenario", title: s.title, context: context,
            [
                "slug": s.slug, "title": s.title, "difficulty": s.difficulty.rawValue, "area": s.area ?? "",
                "minutes": Self.minutes(s.timeLimitSeconds), "tags": s.tags, "description_html": Markdown.html(s.description),
                "clue_count": s.clues.count,
            ])
    }

    // MARK: Sessions

    @Sendable func session(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user, let id = context.parameters.get("id"),
            let session = try? await sessions.session(id, userID: user.id), let bundle = sessions.catalog[session.scenario]
        else { return notFound(context) }
        let s = bundle.scenario
        return page(
            "session", title: s.title, context: context,
            [
                "id": session.id, "slug": s.slug, "title": s.title, "difficulty": s.difficulty.rawValue,
                "description_html": Markdown.html(s.description), "clue_count": s.clues.count,
            ])
    }

    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user, let id = context.parameters.get("id"),
            let session = try? await sessions.session(id, userID: user.id), let bundle = sessions.catalog[session.scenario]
        else { return notFound(context) }
        let s = bundle.scenario
        let attempts = try await sessions.store.attempts(sessionID: session.id)
        let reveals = try await sessions.store.clueReveals(sessionID: session.id)
        let start = session.readyAt ?? session.createdAt
        let at: (Date) -> String = { Self.elapsed(max(0, Int($0.timeIntervalSince(start)))) }
        var values: [String: Any] = [
            "id": session.id, "slug": s.slug, "title": s.title, "live": session.state.isLive,
            "solved": session.solvedAt != nil, "solve_time": session.solveSeconds.map(Self.elapsed) ?? "",
            "reason": session.reason ?? "",
            "attempts": attempts.enumerated().map { i, a in
                ["n": i + 1, "at": at(a.at), "verdict": a.verdict, "ok": a.verdict == "OK", "message": a.message ?? ""] as [String: Any]
            },
            "clues": reveals.map { r in
                ["n": r.index + 1, "at": at(r.at), "text": s.clues.indices.contains(r.index) ? s.clues[r.index] : ""] as [String: Any]
            },
            "clue_count": reveals.count,
        ]
        if let interviewID = session.interviewID, let interview = try await interviews?.store.interview(id: interviewID) {
            values["interview_url"] = "/i/\(interview.inviteToken)"
        }
        // The solution is shown once the session is over, never while it can still be checked.
        if session.state.isEnded, session.interviewID == nil { values["solution_html"] = Markdown.html(s.solutionNotes) }
        return page("results", title: "Results: \(s.title)", context: context, values)
    }

    // MARK: Leaderboards and profile

    @Sendable func leaderboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug")
        let rows: [LeaderboardRow]
        var title = "Leaderboard"
        if let slug {
            guard let bundle = sessions.catalog[slug] else { return notFound(context) }
            rows = try await sessions.store.leaderboard(scenario: slug, limit: 100)
            title = "Leaderboard: \(bundle.scenario.title)"
        } else {
            rows = try await sessions.store.leaderboard(limit: 100)
        }
        let me = context.user?.username
        return page(
            "leaderboard", title: title, context: context,
            [
                "heading": title, "per_scenario": slug != nil,
                "rows": rows.map { r in
                    [
                        "rank": r.rank, "username": r.username, "time": Self.elapsed(r.solveSeconds), "clues": r.clues,
                        "solved": r.solved, "me": r.username == me,
                    ] as [String: Any]
                },
                "scenarios": sessions.catalog.bundles.map { ["slug": $0.scenario.slug, "title": $0.scenario.title] },
            ])
    }

    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        let history = try await sessions.store.sessions(userID: user.id)
        return page(
            "profile", title: "Your runs", context: context,
            [
                "username": user.username ?? "anonymous", "anonymous": user.isAnonymous,
                "solved_count": Set(history.filter { $0.solvedAt != nil }.map(\.scenario)).count,
                "runs": history.map { s in
                    [
                        "id": s.id, "scenario": sessions.catalog[s.scenario]?.scenario.title ?? s.scenario,
                        "date": s.createdAt.formatted(date: .abbreviated, time: .shortened),
                        "solved": s.solvedAt != nil, "time": s.solveSeconds.map(Self.elapsed) ?? "",
                        "state": s.state.rawValue, "live": s.state.isLive,
                    ] as [String: Any]
                },
            ])
    }

    // MARK: Login and registration forms

    struct Form: Decodable {
        var username: String
        var password: String
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        page("login", title: "Log in", context: context)
    }

    @Sendable func registerForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        page("register", title: "Create an account", context: context, ["anonymous": context.user?.isAnonymous ?? false])
    }

    @Sendable func loginSubmit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await submit(request, context, template: "login", title: "Log in", action: api.login)
    }

    @Sendable func registerSubmit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await submit(request, context, template: "register", title: "Create an account", action: api.register)
    }

    /// A form post handled by the JSON API's operation: on success a redirect home (with the
    /// API's cookie), on refusal the form again with the API's sentence.
    private func submit(
        _ request: Request, _ context: AppRequestContext, template: String, title: String,
        action: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 16 * 1024))
        guard let form = try? URLEncodedFormDecoder().decode(Form.self, from: body) else {
            return page(template, title: title, context: context, ["error": "Give a username and a password."], status: .badRequest)
        }
        var forwarded = request
        forwarded.body = .init(buffer: ByteBuffer(data: try JSONEncoder().encode(["username": form.username, "password": form.password])))
        do {
            var response = try await action(forwarded, context)
            response.status = .seeOther
            response.headers[.location] = "/"
            response.body = .init()
            return response
        } catch let error as APIError {
            return page(template, title: title, context: context, ["error": error.message, "username": form.username], status: error.status)
        }
    }

    @Sendable func logoutSubmit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = try await api.logout(request, context: context)
        response.status = .seeOther
        response.headers[.location] = "/"
        return response
    }
}
