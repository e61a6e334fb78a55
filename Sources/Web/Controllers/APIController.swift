import BreakfixCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Persistence

/// The JSON API (`/api/…`); the pages' scripts use the same operations.
struct APIController: Sendable {
    let sessions: SessionService
    let users: any UserStore
    let identity: Identity
    let bcryptCost: UInt8
    /// Reverse proxies whose `X-Forwarded-For` names the client (`BREAKFIX_TRUSTED_PROXIES`).
    var trustedProxies: Set<String> = []
    /// Refuses a contest session's start or check outside the contest (set when contests are on).
    var contestGate: (@Sendable (_ contestID: String, _ scenario: String, _ userID: UUID) async throws -> Void)?
    let loginLimiter = RateLimiter(limit: 5, window: 60)
    let registerLimiter = RateLimiter(limit: 10, window: 3600)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("scenarios", use: scenarios)
        group.post("users", use: register)
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("me", use: me)
        group.post("sessions", use: start)
        group.get("sessions/:id", use: show)
        group.delete("sessions/:id", use: end)
        group.post("sessions/:id/check", use: check)
        group.post("sessions/:id/clues", use: clue)
        group.get("sessions/:id/events", use: events)
        group.get("leaderboard", use: overallBoard)
        group.get("leaderboard/:slug", use: scenarioBoard)
    }

    // MARK: Scenarios

    struct ScenarioJSON: ResponseEncodable {
        var slug, title, difficulty: String
        var area: String?
        var time_limit_seconds: Int
        var tags: [String]
    }

    @Sendable func scenarios(_ request: Request, context: AppRequestContext) async throws -> [ScenarioJSON] {
        sessions.catalog.bundles.map {
            let s = $0.scenario
            return ScenarioJSON(
                slug: s.slug, title: s.title, difficulty: s.difficulty.rawValue, area: s.area,
                time_limit_seconds: s.timeLimitSeconds, tags: s.tags)
        }
    }

    // MARK: Accounts

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    struct UserJSON: ResponseEncodable {
        var id: String
        var username: String?
        var anonymous: Bool
    }

    struct TokenJSON: ResponseEncodable {
        var token: String
        var username: String
    }

    static func validate(_ c: Credentials) throws {
        if let problem = Passwords.problem(username: c.username, password: c.password) { throw APIError.badRequest(problem) }
    }

    /// Registers; an anonymous caller keeps their id, so their history stays theirs.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        var context = context
        let credentials = try await Self.decode(Credentials.self, request, context)
        try Self.validate(credentials)
        guard await registerLimiter.allow(clientKey(request, context)) else {
            throw APIError(.tooManyRequests, "Too many registrations from here; try again later.")
        }
        if try await users.user(username: credentials.username) != nil {
            throw APIError(.conflict, "The username \(credentials.username) is taken; choose another.")
        }
        let hash = try await Self.hash(credentials.password, cost: bcryptCost)
        var cookie: Cookie?
        let user: UserRecord
        let taken = APIError(.conflict, "The username \(credentials.username) is taken; choose another.")
        if let current = context.user, current.isAnonymous {
            do {
                try await users.register(userID: current.id, username: credentials.username, passwordHash: hash)
            } catch PersistenceError.usernameTaken {
                throw taken  // lost a race with another registration of the same name
            }
            user = UserRecord(id: current.id, username: credentials.username, passwordHash: hash)
        } else {
            user = UserRecord(username: credentials.username, passwordHash: hash)
            do {
                try await users.createUser(user)
            } catch PersistenceError.usernameTaken {
                throw taken
            }
            let issued = try await identity.issueToken(for: user)
            cookie = issued.1
            context.token = issued.0
        }
        var response = try UserJSON(id: user.id.uuidString, username: user.username, anonymous: false)
            .response(from: request, context: context)
        response.status = .created
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await Self.decode(Credentials.self, request, context)
        let key = credentials.username.lowercased()
        // Per username and per client: slows guessing without locking the owner out for long.
        guard await loginLimiter.allow("u:" + key), await loginLimiter.allow("c:" + clientKey(request, context)) else {
            throw APIError(.tooManyRequests, "Too many login attempts; wait a minute and try again.", headers: [.retryAfter: "60"])
        }
        guard let user = try await users.user(username: key), let hash = user.passwordHash,
            try await Self.verify(credentials.password, hash: hash)
        else {
            throw APIError(.unauthorized, "Wrong username or password.")
        }
        let (token, cookie) = try await identity.issueToken(for: user)
        var response = try TokenJSON(token: token, username: user.username ?? "").response(from: request, context: context)
        response.setCookie(cookie)
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = context.token { try await users.deleteToken(token) }
        var response = Response(status: .noContent)
        response.setCookie(identity.clearingCookie)
        return response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> UserJSON {
        guard let user = context.user else { throw APIError.unauthorized }
        return UserJSON(id: user.id.uuidString, username: user.username, anonymous: user.isAnonymous)
    }

    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await Passwords.hash(password, cost: cost)
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    func clientKey(_ request: Request, _ context: AppRequestContext) -> String {
        Self.clientAddress(request, peer: context.remoteAddress?.ipAddress, trusted: trustedProxies)
    }

    /// The client's address: the peer's, or behind a trusted proxy the last address in
    /// `X-Forwarded-For` that is not itself a trusted proxy (earlier entries are whatever the
    /// client wrote). Without this every user behind the proxy shares one per-client limit.
    static func clientAddress(_ request: Request, peer: String?, trusted: Set<String>) -> String {
        guard let peer else { return "unknown" }
        guard trusted.contains(peer), let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? peer
    }

    // MARK: Sessions

    struct StartRequest: Decodable {
        var scenario: String
        var contest: String?
    }

    struct SessionJSON: ResponseEncodable {
        var id, scenario, state: String
        var phase: String?
        var queue_position: Int?
        var created_at: String
        var ready_at, expires_at, solved_at, ended_at: String?
        var reason: String?
        var solve_seconds: Int?
        var time_limit_seconds: Int
        var clues_total: Int
        var clues_allowed: Bool
        var interview: Bool
        var clues_revealed: [ClueJSON]?
    }

    struct ClueJSON: ResponseEncodable {
        var index: Int
        var text: String
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        var context = context
        let body = try await Self.decode(StartRequest.self, request, context)
        let (user, cookie) = try await identity.ensure(&context)
        if let contest = body.contest { try await admitContest(contest, scenario: body.scenario, userID: user.id) }
        let session = try await sessions.start(
            userID: user.id, scenario: body.scenario, options: SessionService.StartOptions(contestID: body.contest))
        var response = try await json(session, context: context).response(from: request, context: context)
        response.status = .accepted
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> SessionJSON {
        let session = try await owned(context)
        var body = try await json(session, context: context)
        if let bundle = sessions.catalog[session.scenario] {
            body.clues_revealed = try await sessions.store.clueReveals(sessionID: session.id).compactMap { reveal in
                bundle.scenario.clues.indices.contains(reveal.index)
                    ? ClueJSON(index: reveal.index, text: bundle.scenario.clues[reveal.index]) : nil
            }
        }
        return body
    }

    @Sendable func end(_ request: Request, context: AppRequestContext) async throws -> SessionJSON {
        let user = try requireUser(context)
        let session = try await sessions.end(try sessionID(context), userID: user.id)
        return try await json(session, context: context)
    }

    struct CheckJSON: ResponseEncodable {
        var verdict: String
        var message: String?
        var attempt: Int
        var solved: Bool
        var solve_seconds: Int?
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> CheckJSON {
        let user = try requireUser(context)
        let id = try sessionID(context)
        let current = try await sessions.session(id, userID: user.id)
        if let contest = current.contestID { try await admitContest(contest, scenario: current.scenario, userID: user.id) }
        let result = try await sessions.check(id, userID: user.id)
        let session = try await sessions.session(id, userID: user.id)
        return CheckJSON(
            verdict: result.verdict.label, message: result.verdict.message, attempt: result.number,
            solved: session.solvedAt != nil, solve_seconds: session.solveSeconds)
    }

    @Sendable func clue(_ request: Request, context: AppRequestContext) async throws -> ClueJSON {
        let user = try requireUser(context)
        let clue = try await sessions.revealClue(try sessionID(context), userID: user.id)
        return ClueJSON(index: clue.index, text: clue.text)
    }

    /// Server-sent events: the session as JSON on every change (phase, state), pushed as it
    /// happens. While queued, the position is re-read every second; a comment line every 15 s
    /// finds clients that went away.
    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let first = try await owned(context)
        let sessions = self.sessions
        let updates = await sessions.events.subscribe(first.id)
        let body = ResponseBody { writer in
            let (merged, input) = AsyncStream<SessionRecord?>.makeStream(bufferingPolicy: .bufferingNewest(8))
            let forward = Task {
                for await update in updates { input.yield(update) }
                input.finish()
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    input.yield(nil)
                }
            }
            defer {
                forward.cancel()
                ticker.cancel()
            }
            var last = first
            var lastPosition = try await sessions.queuePosition(first)
            try await writer.write(try await Self.event(first, sessions: sessions))
            var ticks = 0
            for await item in merged {
                if last.state.isEnded { break }
                if let update = item {
                    last = update
                    try await writer.write(try await Self.event(update, sessions: sessions))
                    continue
                }
                ticks += 1
                if last.state == .queued, let current = try await sessions.store.session(id: first.id) {
                    let position = try await sessions.queuePosition(current)
                    if current.state != last.state || position != lastPosition {
                        last = current
                        lastPosition = position
                        try await writer.write(try await Self.event(current, sessions: sessions))
                    }
                }
                if ticks % 15 == 0 { try await writer.write(ByteBuffer(string: ": ping\n\n")) }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: body)
    }

    static func event(_ session: SessionRecord, sessions: SessionService) async throws -> ByteBuffer {
        let data = try JSONEncoder().encode(try await json(session, sessions: sessions))
        return ByteBuffer(string: "data: " + String(decoding: data, as: UTF8.self) + "\n\n")
    }

    // MARK: Leaderboards

    struct BoardRow: ResponseEncodable {
        var rank: Int
        var username: String
        var solve_seconds: Int
        var clues: Int
        var solved: Int
    }

    @Sendable func overallBoard(_ request: Request, context: AppRequestContext) async throws -> [BoardRow] {
        try await sessions.store.leaderboard(limit: 100).map(Self.row)
    }

    @Sendable func scenarioBoard(_ request: Request, context: AppRequestContext) async throws -> [BoardRow] {
        let slug = try context.parameters.require("slug")
        guard sessions.catalog[slug] != nil else { throw APIError(.notFound, "There is no scenario \"\(slug)\".") }
        return try await sessions.store.leaderboard(scenario: slug, limit: 100).map(Self.row)
    }

    static func row(_ r: LeaderboardRow) -> BoardRow {
        BoardRow(rank: r.rank, username: r.username, solve_seconds: r.solveSeconds, clues: r.clues, solved: r.solved)
    }

    // MARK: Helpers

    func admitContest(_ contest: String, scenario: String, userID: UUID) async throws {
        guard let gate = contestGate else { throw APIError(.forbidden, "Contests are not enabled on this server.") }
        do {
            try await gate(contest, scenario, userID)
        } catch let error as SubmissionError {
            throw APIError(.forbidden, error.description)
        }
    }

    /// Reads a JSON body, answering a sentence for a body that is too large or not the expected JSON.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: AppRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "The request body is larger than \(context.maxUploadSize / 1024) KiB.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError.badRequest(
                "The request body is not the JSON this endpoint expects (\(JSONErrorMiddleware<AppRequestContext>.describe(error))).")
        }
    }

    func requireUser(_ context: AppRequestContext) throws -> UserRecord {
        guard let user = context.user else { throw APIError(.notFound, SessionError.notFound.description) }
        return user
    }

    func sessionID(_ context: AppRequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else { throw APIError(.notFound, SessionError.notFound.description) }
        return id
    }

    /// The caller's session, or 404 (also for someone else's: no hint that it exists).
    func owned(_ context: AppRequestContext) async throws -> SessionRecord {
        try await sessions.session(try sessionID(context), userID: try requireUser(context).id)
    }

    func json(_ session: SessionRecord, context: AppRequestContext) async throws -> SessionJSON {
        try await Self.json(session, sessions: sessions)
    }

    static func json(_ session: SessionRecord, sessions: SessionService) async throws -> SessionJSON {
        SessionJSON(
            id: session.id, scenario: session.scenario, state: session.state.rawValue, phase: session.phase?.rawValue,
            queue_position: try await sessions.queuePosition(session),
            created_at: iso(session.createdAt), ready_at: session.readyAt.map(iso), expires_at: session.expiresAt.map(iso),
            solved_at: session.solvedAt.map(iso), ended_at: session.endedAt.map(iso), reason: session.reason,
            solve_seconds: session.solveSeconds, time_limit_seconds: session.timeLimitSeconds,
            clues_total: sessions.catalog[session.scenario]?.scenario.clues.count ?? 0,
            clues_allowed: session.cluesAllowed, interview: session.interviewID != nil)
    }

    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
