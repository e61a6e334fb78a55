import BreakfixCore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Interview mode: an interviewer makes an interview (invite link for the candidate, observer link
/// for the panel); the candidate plays through the ordinary session endpoints; observers watch the
/// terminal read-only, see attempts and clues, take notes, replay the recording and read the report.
///
/// Observers prove themselves with the observer key (`?key=` or `X-Breakfix-Key`), or by being
/// the interview's owner. Anyone else gets 404, as for sessions.
struct InterviewController: Sendable {
    let interviews: InterviewService
    let identity: Identity
    let templates: MustacheLibrary
    let publicURL: String?

    var sessions: SessionService { interviews.sessions }

    func addRoutes(api: RouterGroup<AppRequestContext>, pages router: Router<AppRequestContext>) {
        api.post("interviews", use: create)
        api.get("interviews", use: list)
        api.get("interviews/:id", use: show)
        api.post("interviews/:id/notes", use: addNote)
        api.get("interviews/:id/report", use: reportJSON)
        api.post("invites/:token/start", use: startInvite)
        api.get("sessions/:id/recording", use: recording)

        router.get("interviews", use: listPage)
        router.get("interviews/:id", use: livePage)
        router.get("interviews/:id/report", use: reportPage)
        router.get("i/:token", use: briefingPage)
        router.get("sessions/:id/replay", use: replayPage)
    }

    static func key(_ request: Request) -> String? {
        request.uri.queryParameters.get("key") ?? request.headers[HTTPField.Name("X-Breakfix-Key")!]
    }

    func base(_ request: Request) -> String {
        if let publicURL, !publicURL.isEmpty { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)"
    }

    static func apiError(_ error: InterviewError) -> APIError {
        switch error {
        case .notFound: APIError(.notFound, error.description)
        case .inviteUsed, .inviteExpired, .over: APIError(.gone, error.description)
        case .invalid: APIError(.badRequest, error.description)
        }
    }

    func watchable(_ request: Request, _ context: AppRequestContext) async throws -> InterviewRecord {
        let id = try context.parameters.require("id")
        do {
            return try await interviews.watchable(id, userID: context.user?.id, key: Self.key(request))
        } catch let error as InterviewError {
            throw Self.apiError(error)
        }
    }

    // MARK: API

    struct CreateRequest: Decodable {
        var scenarios: [String]
        var time_limit_seconds: Int
        var clues_allowed: Bool?
        var note: String?
    }

    struct CreatedJSON: ResponseEncodable {
        var id, invite_url, observer_url: String
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user, !user.isAnonymous else {
            throw APIError(.unauthorized, "Log in with an interviewer account to create an interview.")
        }
        let body = try await APIController.decode(CreateRequest.self, request, context)
        let interview: InterviewRecord
        do {
            interview = try await interviews.create(
                ownerID: user.id, scenarios: body.scenarios, timeLimitSeconds: body.time_limit_seconds,
                cluesAllowed: body.clues_allowed ?? true, note: body.note ?? "")
        } catch let error as InterviewError {
            throw Self.apiError(error)
        }
        var response = try CreatedJSON(
            id: interview.id, invite_url: inviteURL(interview, request), observer_url: observerURL(interview, request)
        ).response(from: request, context: context)
        response.status = .created
        return response
    }

    func inviteURL(_ interview: InterviewRecord, _ request: Request) -> String {
        "\(base(request))/i/\(interview.inviteToken)"
    }

    func observerURL(_ interview: InterviewRecord, _ request: Request) -> String {
        "\(base(request))/interviews/\(interview.id)?key=\(interview.observerToken)"
    }

    struct AttemptJSON: ResponseEncodable {
        var at, verdict: String
    }

    struct SessionSummaryJSON: ResponseEncodable {
        var id, scenario, title, state: String
        var ready_at, expires_at, solved_at: String?
        var solved: Bool
        var solve_seconds: Int?
        var attempts: [AttemptJSON]
        var clues_used: Int
    }

    struct NoteJSON: ResponseEncodable {
        var id: String
        var session_id: String?
        var author, at, text: String
    }

    struct InterviewJSON: ResponseEncodable {
        var id: String
        var scenarios: [String]
        var time_limit_seconds: Int
        var clues_allowed: Bool
        var note: String
        var created_at, invite_expires_at: String
        var started_at, deadline: String?
        var candidate_started: Bool
        var finished: Bool
        var invite_url, observer_url: String?
        var sessions: [SessionSummaryJSON]
        var notes: [NoteJSON]
    }

    func summary(_ session: SessionRecord) async throws -> SessionSummaryJSON {
        let attempts = try await sessions.store.attempts(sessionID: session.id)
        return SessionSummaryJSON(
            id: session.id, scenario: session.scenario, title: sessions.catalog[session.scenario]?.scenario.title ?? session.scenario,
            state: session.state.rawValue, ready_at: session.readyAt.map(APIController.iso),
            expires_at: session.expiresAt.map(APIController.iso), solved_at: session.solvedAt.map(APIController.iso),
            solved: session.solvedAt != nil, solve_seconds: session.solveSeconds,
            attempts: attempts.map { AttemptJSON(at: APIController.iso($0.at), verdict: $0.verdict) },
            clues_used: try await sessions.store.clueReveals(sessionID: session.id).count)
    }

    func json(_ interview: InterviewRecord, request: Request, context: AppRequestContext) async throws -> InterviewJSON {
        let played = try await interviews.candidateSessions(interview)
        var summaries: [SessionSummaryJSON] = []
        for session in played { summaries.append(try await summary(session)) }
        let isOwner = context.user?.id == interview.ownerID
        let deadlinePassed = interview.deadline.map { $0 <= Date() } ?? false
        let finished =
            (played.count == interview.scenarios.count && played.allSatisfy { $0.state.isEnded }) || deadlinePassed
        return InterviewJSON(
            id: interview.id, scenarios: interview.scenarios, time_limit_seconds: interview.timeLimitSeconds,
            clues_allowed: interview.cluesAllowed, note: interview.note, created_at: APIController.iso(interview.createdAt),
            invite_expires_at: APIController.iso(interview.inviteExpiresAt), started_at: interview.startedAt.map(APIController.iso),
            deadline: interview.deadline.map(APIController.iso), candidate_started: interview.candidateID != nil,
            finished: finished,
            invite_url: isOwner ? inviteURL(interview, request) : nil,
            observer_url: isOwner ? observerURL(interview, request) : nil,
            sessions: summaries,
            notes: try await interviews.store.notes(interviewID: interview.id).map(Self.note))
    }

    static func note(_ n: InterviewNoteRecord) -> NoteJSON {
        NoteJSON(id: n.id.uuidString, session_id: n.sessionID, author: n.author, at: APIController.iso(n.at), text: n.text)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [InterviewJSON] {
        guard let user = context.user, !user.isAnonymous else { throw APIError(.unauthorized, "Log in to see your interviews.") }
        var result: [InterviewJSON] = []
        for interview in try await interviews.store.interviews(ownerID: user.id) {
            result.append(try await json(interview, request: request, context: context))
        }
        return result
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> InterviewJSON {
        try await json(try await watchable(request, context), request: request, context: context)
    }

    struct NoteRequest: Decodable {
        var text: String
        var session_id: String?
    }

    @Sendable func addNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let interview = try await watchable(request, context)
        let body = try await APIController.decode(NoteRequest.self, request, context)
        let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(text.count) else { throw APIError.badRequest("A note has 1 to 4000 characters.") }
        if let sessionID = body.session_id {
            guard try await interviews.candidateSessions(interview).contains(where: { $0.id == sessionID }) else {
                throw APIError.badRequest("That session is not part of this interview.")
            }
        }
        let author = context.user?.id == interview.ownerID ? (context.user?.username ?? "interviewer") : "observer"
        let note = InterviewNoteRecord(interviewID: interview.id, sessionID: body.session_id, author: author, text: text)
        try await interviews.store.addNote(note)
        var response = try Self.note(note).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct CommandJSON: ResponseEncodable {
        var at, command: String
    }

    struct ClueUseJSON: ResponseEncodable {
        var at: String
        var index: Int
    }

    struct ReportSessionJSON: ResponseEncodable {
        var id, scenario, title, state: String
        var solved: Bool
        var solve_seconds: Int?
        var attempts: [AttemptJSON]
        var clues_used: Int
        var clues: [ClueUseJSON]
        var commands: [CommandJSON]
    }

    struct ReportJSON: ResponseEncodable {
        var id: String
        var scenarios: [String]
        var time_limit_seconds: Int
        var clues_allowed: Bool
        var started_at: String?
        var sessions: [ReportSessionJSON]
        var notes: [NoteJSON]
    }

    func report(_ interview: InterviewRecord) async throws -> ReportJSON {
        let parts = try await interviews.report(interview)
        return ReportJSON(
            id: interview.id, scenarios: interview.scenarios, time_limit_seconds: interview.timeLimitSeconds,
            clues_allowed: interview.cluesAllowed, started_at: interview.startedAt.map(APIController.iso),
            sessions: parts.map { part in
                ReportSessionJSON(
                    id: part.session.id, scenario: part.session.scenario,
                    title: sessions.catalog[part.session.scenario]?.scenario.title ?? part.session.scenario,
                    state: part.session.state.rawValue, solved: part.session.solvedAt != nil,
                    solve_seconds: part.session.solveSeconds,
                    attempts: part.attempts.map { AttemptJSON(at: APIController.iso($0.at), verdict: $0.verdict) },
                    clues_used: part.clues.count,
                    clues: part.clues.map { ClueUseJSON(at: APIController.iso($0.at), index: $0.index + 1) },
                    commands: part.commands.map { CommandJSON(at: APIController.iso($0.at), command: $0.command) })
            },
            notes: try await interviews.store.notes(interviewID: interview.id).map(Self.note))
    }

    @Sendable func reportJSON(_ request: Request, context: AppRequestContext) async throws -> ReportJSON {
        try await report(try await watchable(request, context))
    }

    struct StartedJSON: ResponseEncodable {
        var id, state: String
    }

    /// The candidate's start: no account needed. An anonymous caller becomes the candidate; a
    /// caller with an account gets a fresh anonymous identity (the candidate's data stays apart
    /// from any account and can be purged alone).
    @Sendable func startInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        var cookie: Cookie?
        let candidate: UserRecord
        if let user = context.user, user.isAnonymous {
            candidate = user
        } else {
            candidate = UserRecord(username: nil, passwordHash: nil)
            try await identity.users.createUser(candidate)
            cookie = try await identity.issueToken(for: candidate).1
        }
        let session: SessionRecord
        do {
            session = try await interviews.start(inviteToken: token, candidateID: candidate.id)
        } catch {
            // Whatever went wrong, a candidate who got bound to the invite keeps their identity.
            var apiError: APIError
            switch error {
            case let e as InterviewError: apiError = Self.apiError(e)
            case let e as SessionError: apiError = APIError.from(e)
            default: throw error
            }
            if let cookie { apiError.headers[.setCookie] = cookie.description }
            throw apiError
        }
        var response = try StartedJSON(id: session.id, state: session.state.rawValue).response(from: request, context: context)
        response.status = .accepted
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The session's asciicast v2 file, for its owner and the interview's observers.
    @Sendable func recording(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard id.count == 32, id.allSatisfy(\.isHexDigit),
            let session = try? await interviews.viewableSession(id, userID: context.user?.id, key: Self.key(request)),
            let data = await interviews.recording(of: session)
        else { throw APIError(.notFound, "No recording for this session (nothing was typed or shown yet, or it was deleted).") }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/x-asciicast",
                .contentDisposition: "attachment; filename=\"\(session.scenario)-\(session.id.prefix(8)).cast\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    // MARK: Pages

    func page(_ template: String, title: String, context: AppRequestContext, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        PageController.render(templates, template, title: title, context: context, values, status: status)
    }

    func message(_ context: AppRequestContext, _ heading: String, _ text: String, status: HTTPResponse.Status) -> Response {
        page("message", title: heading, context: context, ["heading": heading, "text": text], status: status)
    }

    @Sendable func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.user, !user.isAnonymous else {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        let options = sessions.catalog.bundles.map { ["slug": $0.scenario.slug, "title": $0.scenario.title, "difficulty": $0.scenario.difficulty.rawValue] }
        var rows: [[String: Any]] = []
        for interview in try await interviews.store.interviews(ownerID: user.id) {
            let played = try await interviews.candidateSessions(interview)
            rows.append([
                "id": interview.id,
                "scenarios": interview.scenarios.map { sessions.catalog[$0]?.scenario.title ?? $0 }.joined(separator: ", "),
                "created": interview.createdAt.formatted(date: .abbreviated, time: .shortened),
                "status": interview.candidateID == nil ? "invite not used yet" : "\(played.filter { $0.solvedAt != nil }.count)/\(interview.scenarios.count) solved",
                "invite_url": inviteURL(interview, request), "observer_url": observerURL(interview, request),
            ])
        }
        return page("interviews", title: "Interviews", context: context, ["scenarios": options, "interviews": rows])
    }

    @Sendable func livePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let interview = try? await watchable(request, context) else {
            return message(context, "Not found", "There is no such interview, or this link does not let you watch it.", status: .notFound)
        }
        return page(
            "interview", title: "Interview", context: context,
            [
                "id": interview.id, "key": Self.key(request) ?? "", "note": interview.note.isEmpty ? false : interview.note,
                "scenarios": interview.scenarios.map { sessions.catalog[$0]?.scenario.title ?? $0 }.joined(separator: " → "),
                "minutes": interview.timeLimitSeconds / 60, "clues_allowed": interview.cluesAllowed,
            ])
    }

    @Sendable func reportPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let interview = try? await watchable(request, context) else {
            return message(context, "Not found", "There is no such interview, or this link does not let you see it.", status: .notFound)
        }
        let report = try await report(interview)
        let start = interview.startedAt
        let rel: (String) -> String = { iso in
            guard let start, let date = try? Date(iso, strategy: .iso8601) else { return iso }
            return PageController.elapsed(max(0, Int(date.timeIntervalSince(start))))
        }
        let key = Self.key(request) ?? ""
        let parts: [[String: Any]] = report.sessions.enumerated().map { i, s in
            [
                "n": i + 1, "id": s.id, "title": s.title, "state": s.state, "solved": s.solved,
                "solve_time": s.solve_seconds.map(PageController.elapsed) ?? "", "clues_used": s.clues_used,
                "attempts": s.attempts.enumerated().map { j, a in ["n": j + 1, "at": rel(a.at), "verdict": a.verdict, "ok": a.verdict == "OK"] as [String: Any] },
                "commands": s.commands.map { ["at": rel($0.at), "command": $0.command] },
                "replay": "/sessions/\(s.id)/replay" + (key.isEmpty ? "" : "?key=\(key)"),
            ]
        }
        return page(
            "report", title: "Interview report", context: context,
            [
                "id": interview.id, "scenarios": interview.scenarios.count, "minutes": interview.timeLimitSeconds / 60,
                "clues_allowed": interview.cluesAllowed, "started": interview.startedAt?.formatted(date: .abbreviated, time: .shortened) ?? "not started",
                "sessions": parts, "notes": report.notes.map { ["at": rel($0.at), "author": $0.author, "text": $0.text] },
                "note": interview.note.isEmpty ? false : interview.note,
            ])
    }

    @Sendable func briefingPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.count == 32, let interview = try await interviews.store.interview(inviteToken: token) else {
            return message(context, "Invite not found", "This invite link is not valid; check it with your interviewer.", status: .notFound)
        }
        let mine = interview.candidateID != nil && interview.candidateID == context.user?.id
        if interview.candidateID != nil && !mine {
            return message(context, "Invite already used", InterviewError.inviteUsed.description, status: .gone)
        }
        if interview.candidateID == nil && interview.inviteExpiresAt <= Date() {
            return message(context, "Invite expired", InterviewError.inviteExpired.description, status: .gone)
        }
        let played = mine ? try await interviews.candidateSessions(interview) : []
        let live = played.first { $0.state.isLive }
        let deadlinePassed = interview.deadline.map { $0.timeIntervalSinceNow < 30 } ?? false
        let over = mine && live == nil && (played.count >= interview.scenarios.count || deadlinePassed)
        var values: [String: Any] = [
            "token": token, "count": interview.scenarios.count, "plural": interview.scenarios.count > 1,
            "minutes": interview.timeLimitSeconds / 60, "clues_allowed": interview.cluesAllowed,
            "started": mine, "over": over, "next_n": played.count + 1, "can_start": !over && live == nil,
            "played": played.enumerated().map { i, s in
                ["n": i + 1, "title": sessions.catalog[s.scenario]?.scenario.title ?? s.scenario,
                 "solved": s.solvedAt != nil, "state": s.state.rawValue] as [String: Any]
            },
        ]
        // Mustache sections treat an empty string as present: leave absent values out.
        if let live { values["live_id"] = live.id }
        if let deadline = interview.deadline { values["deadline"] = APIController.iso(deadline) }
        return page("briefing", title: "Your interview", context: context, values)
    }

    @Sendable func replayPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard id.count == 32, id.allSatisfy(\.isHexDigit),
            let session = try? await interviews.viewableSession(id, userID: context.user?.id, key: Self.key(request))
        else { return message(context, "Not found", "There is no such recording, or it is not yours to see.", status: .notFound) }
        let title = sessions.catalog[session.scenario]?.scenario.title ?? session.scenario
        return page("replay", title: "Replay: \(title)", context: context, ["id": session.id, "title": title, "key": Self.key(request) ?? ""])
    }
}
