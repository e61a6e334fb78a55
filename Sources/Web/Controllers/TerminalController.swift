import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `GET /api/sessions/{id}/terminal`: a WebSocket to the session's shell. Binary frames carry
/// terminal bytes both ways; a text frame `{"type":"resize","cols":C,"rows":R}` resizes.
///
/// `?mode=observe` attaches read-only, for the session's owner or an interview's observers (owner
/// of the interview, or `key=` the observer key): output only, and whatever an observer sends is
/// dropped here, by the server.
struct TerminalController: Sendable {
    let sessions: SessionService
    let interviews: InterviewService?

    struct Control: Decodable {
        var type: String
        var cols: Int?
        var rows: Int?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("api/sessions/:id/terminal") { request, context in
            // Browsers send Origin on WebSocket upgrades and SameSite does not protect them.
            guard SecurityMiddleware<AppRequestContext>.sameOrigin(request) else { return .dontUpgrade }
            guard let session = await authorized(request, context.user, context.parameters.get("id")),
                (try? sessions.requireUsable(session)) != nil
            else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let observe = Self.observing(context.request)
            guard let session = await authorized(context.request, context.requestContext.user, context.requestContext.parameters.get("id")),
                let sandbox = session.sandboxID, let terminalRequest = sessions.terminalRequest(for: session)
            else { return }
            let attachment = try await sessions.terminals.attach(
                sessionID: session.id, sandbox: SandboxID(sandbox), request: terminalRequest, readOnly: observe)
            let hub = sessions.terminals
            defer { Task { await hub.detach(sessionID: session.id, clientID: attachment.clientID) } }
            if !attachment.replay.isEmpty {
                try await outbound.write(.binary(ByteBuffer(bytes: attachment.replay)))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await chunk in attachment.output {
                        try await outbound.write(.binary(ByteBuffer(bytes: chunk)))
                    }
                    // The shell exited, the session ended, or this client fell behind.
                    try await outbound.close(.normalClosure, reason: "terminal closed")
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 64 * 1024) {
                        if observe { continue }  // an observer's keystrokes never reach the shell
                        switch message {
                        case .binary(let buffer):
                            await hub.write(sessionID: session.id, clientID: attachment.clientID, Array(buffer.readableBytesView))
                        case .text(let text):
                            guard let control = try? JSONDecoder().decode(Control.self, from: Data(text.utf8)),
                                control.type == "resize", let cols = control.cols, let rows = control.rows
                            else { continue }
                            await hub.resize(sessionID: session.id, clientID: attachment.clientID, cols: cols, rows: rows)
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    static func observing(_ request: Request) -> Bool {
        request.uri.queryParameters.get("mode") == "observe"
    }

    /// The session this request may attach to: the caller's own (either mode), or in observe mode
    /// one of an interview the caller may watch.
    func authorized(_ request: Request, _ user: UserRecord?, _ id: String?) async -> SessionRecord? {
        guard let id, id.count == 32, id.allSatisfy(\.isHexDigit) else { return nil }
        if let user, let session = try? await sessions.session(id, userID: user.id) { return session }
        guard Self.observing(request), let interviews else { return nil }
        return try? await interviews.viewableSession(id, userID: user?.id, key: InterviewController.key(request))
    }
}
