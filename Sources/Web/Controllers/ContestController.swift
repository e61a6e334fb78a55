import BreakfixCore
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// Contests: an admin creates one, users join, the scoreboard is pushed to open pages as it changes.
struct ContestController: Sendable {
    let contests: ContestService
    let users: any UserStore
    let identity: Identity
    let templates: MustacheLibrary

    func addRoutes(api: RouterGroup<AppRequestContext>, pages router: Router<AppRequestContext>) {
        api.post("contests", use: create)
        api.get("contests", use: list)
        api.get("contests/:id", use: show)
        api.post("contests/:id/join", use: join)
        api.get("contests/:id/scoreboard", use: scoreboard)
        api.get("contests/:id/scoreboard/events", use: scoreboardEvents)
        router.get("contests", use: listPage)
        router.get("contests/:id", use: contestPage)
    }

    struct CreateRequest: Decodable {
        struct Item: Decodable {
            var kind: String
            var slug: String
        }
        var title: String
        var starts_at: String
        var ends_at: String
        var items: [Item]
        var scoring: String?
        var freeze_minutes: Int?
    }

    struct CreatedJSON: ResponseEncodable { var id: String }

    struct ItemJSON: ResponseEncodable {
        var kind, slug, title, difficulty: String
    }

    struct ContestJSON: ResponseEncodable {
        var id, title, starts_at, ends_at, scoring, state: String
        var freeze_minutes: Int
        var items: [ItemJSON]
        var joined: Bool
        var owner: Bool
    }

    struct ItemScoreJSON: Codable, Equatable {
        var slug: String
        var solved: Bool
        var attempts: Int
        var minutes: Int?
    }

    struct RowJSON: Codable, Equatable {
        var rank: Int
        var username: String
        var solved: Int
        var penalty_minutes: Int
        var points: Int
        var items: [ItemScoreJSON]
    }

    struct ScoreboardJSON: Codable, Equatable, ResponseEncodable {
        var frozen: Bool
        var rows: [RowJSON]
    }

    static func error(_ error: ContestError) -> APIError {
        switch error {
        case .notFound: APIError(.notFound, error.description)
        case .forbidden: APIError(.forbidden, error.description)
        case .invalid: APIError(.badRequest, error.description)
        }
    }

    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ContestError { throw Self.error(error) }
    }

    static func date(_ text: String, field: String) throws -> Date {
        let formats: [Date.ISO8601FormatStyle] = [.iso8601, Date.ISO8601FormatStyle(includingFractionalSeconds: true)]
        for format in formats { if let date = try? format.parse(text) { return date } }
        throw APIError.badRequest("\(field) \"\(text)\" is not an ISO 8601 time like 2026-12-01T18:00:00Z.")
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user, !user.isAnonymous else { throw APIError(.unauthorized, "Log in as an admin to create a contest.") }
        let body = try await APIController.decode(CreateRequest.self, request, context)
        let items = try body.items.map { item -> ContestItem in
            guard let kind = ContestItem.Kind(rawValue: item.kind) else {
                throw APIError.badRequest("An item's kind is \"scenario\" or \"challenge\", not \"\(item.kind)\".")
            }
            return ContestItem(kind: kind, slug: item.slug)
        }
        guard let scoring = ContestScoring(rawValue: body.scoring ?? "icpc") else {
            throw APIError.badRequest("scoring is \"icpc\" or \"points\".")
        }
        let contest = try await mapped {
            try await contests.create(
                owner: user, title: body.title, startsAt: try Self.date(body.starts_at, field: "starts_at"),
                endsAt: try Self.date(body.ends_at, field: "ends_at"), items: items, scoring: scoring,
                freezeMinutes: body.freeze_minutes ?? 0)
        }
        var response = try CreatedJSON(id: contest.id).response(from: request, context: context)
        response.status = .created
        return response
    }

    func json(_ contest: ContestRecord, userID: UUID?, now: Date = Date()) async throws -> ContestJSON {
        let visible = try await contests.visibleItems(contest, userID: userID, now: now)
        let joined = try await userID.asyncMap { try await contests.store.isParticipant(contestID: contest.id, userID: $0) } ?? false
        let state = now < contest.startsAt ? "upcoming" : now <= contest.endsAt ? "running" : "over"
        return ContestJSON(
            id: contest.id, title: contest.title, starts_at: APIController.iso(contest.startsAt),
            ends_at: APIController.iso(contest.endsAt), scoring: contest.scoring.rawValue, state: state,
            freeze_minutes: contest.freezeMinutes,
            items: visible.map { item in
                switch item.kind {
                case .scenario:
                    let s = contests.sessions.catalog[item.slug]?.scenario
                    return ItemJSON(kind: "scenario", slug: item.slug, title: s?.title ?? item.slug, difficulty: s?.difficulty.rawValue ?? "")
                case .challenge:
                    let c = contests.submissions.challenges[item.slug]?.challenge
                    return ItemJSON(kind: "challenge", slug: item.slug, title: c?.title ?? item.slug, difficulty: c?.difficulty.rawValue ?? "")
                }
            },
            joined: joined, owner: userID == contest.ownerID)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [ContestJSON] {
        var result: [ContestJSON] = []
        for contest in try await contests.store.contests() { result.append(try await json(contest, userID: context.user?.id)) }
        return result
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ContestJSON {
        let id = try context.parameters.require("id")
        let contest = try await mapped { try await contests.contest(id) }
        return try await json(contest, userID: context.user?.id)
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> ContestJSON {
        let id = try context.parameters.require("id")
        guard let user = context.user else { throw APIError(.unauthorized, "Sign up or log in to join a contest.") }
        let contest = try await mapped { try await contests.join(id, user: user) }
        return try await json(contest, userID: user.id)
    }

    static func board(_ board: ContestScoreboard) -> ScoreboardJSON {
        ScoreboardJSON(
            frozen: board.frozen,
            rows: board.rows.map { row in
                RowJSON(
                    rank: row.rank, username: row.username, solved: row.solved, penalty_minutes: row.penaltyMinutes,
                    points: row.points,
                    items: row.items.map { ItemScoreJSON(slug: $0.slug, solved: $0.solved, attempts: $0.attempts, minutes: $0.minutes) })
            })
    }

    @Sendable func scoreboard(_ request: Request, context: AppRequestContext) async throws -> ScoreboardJSON {
        let id = try context.parameters.require("id")
        return Self.board(try await mapped { try await contests.scoreboard(id, viewerID: context.user?.id) }.1)
    }

    /// Server-sent events: the scoreboard, sent again whenever it changes (recomputed every
    /// second from the database, so checks and verdicts from any worker or replica show up).
    @Sendable func scoreboardEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let viewer = context.user?.id
        let contests = self.contests
        let first = Self.board(try await mapped { try await contests.scoreboard(id, viewerID: viewer) }.1)
        let body = ResponseBody { writer in
            func send(_ board: ScoreboardJSON) async throws {
                let data = try JSONEncoder().encode(board)
                try await writer.write(ByteBuffer(string: "data: " + String(decoding: data, as: UTF8.self) + "\n\n"))
            }
            var last = first
            try await send(first)
            var ticks = 0
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                ticks += 1
                guard let (_, board) = try? await contests.scoreboard(id, viewerID: viewer) else { continue }
                let current = Self.board(board)
                if current != last {
                    last = current
                    try await send(current)
                } else if ticks % 3 == 0 {  // finds a closed page within 3 s, so the handler (and a shutdown) never waits on it long
                    try await writer.write(ByteBuffer(string: ": ping\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    // MARK: Pages

    @Sendable func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = Date()
        let rows: [[String: Any]] = try await contests.store.contests().map { c in
            [
                "id": c.id, "title": c.title, "starts_at": APIController.iso(c.startsAt), "ends_at": APIController.iso(c.endsAt),
                "state": now < c.startsAt ? "upcoming" : now <= c.endsAt ? "running" : "over", "scoring": c.scoring.rawValue,
            ]
        }
        let scenarios: [[String: Any]] = contests.sessions.catalog.bundles.map { ["slug": $0.scenario.slug, "title": $0.scenario.title] }
        let challenges: [[String: Any]] = contests.submissions.challenges.bundles.map { ["slug": $0.challenge.slug, "title": $0.challenge.title] }
        return PageController.render(
            templates, "contests", title: "Contests", context: context,
            [
                "contests": rows, "admin": context.user?.isAdmin == true, "scenarios": scenarios, "challenges": challenges,
                "empty": rows.isEmpty,
            ], status: .ok)
    }

    @Sendable func contestPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id"), let contest = try? await contests.contest(id) else {
            return PageController.render(
                templates, "message", title: "Not found", context: context,
                ["heading": "Not found", "text": "There is no such contest."], status: .notFound)
        }
        let info = try await json(contest, userID: context.user?.id)
        let items: [[String: Any]] = info.items.map {
            ["kind": $0.kind, "slug": $0.slug, "title": $0.title, "difficulty": $0.difficulty, "is_challenge": $0.kind == "challenge"]
        }
        return PageController.render(
            templates, "contest", title: contest.title, context: context,
            [
                "id": contest.id, "title": contest.title, "starts_at": info.starts_at, "ends_at": info.ends_at,
                "state": info.state, "scoring": contest.scoring.rawValue, "freeze_minutes": contest.freezeMinutes,
                "has_freeze": contest.freezeMinutes > 0,
                "items": items, "joined": info.joined, "signed_in": context.user?.isAnonymous == false,
                "slugs_json": String(decoding: (try? JSONEncoder().encode(contest.items.map(\.slug))) ?? Data("[]".utf8), as: UTF8.self),
            ], status: .ok)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
