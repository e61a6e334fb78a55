import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `GET /api/sessions/{id}/terminal`: a WebSocket to the session's shell. Binary frames carry
/// terminal bytes both ways; a text frame `{"type":"resize","cols":C,"rows":R}` resizes.
struct TerminalController: Sendable {
    let sessions: SessionService

    struct Control: Decodable {
        var type: String
        var cols: Int?
        var rows: Int?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("api/sessions/:id/terminal") { request, context in
            // Browsers send Origin on WebSocket upgrades and SameSite does not protect them.
            guard SecurityMiddleware<AppRequestContext>.sameOrigin(request) else { return .dontUpgrade }
            guard let user = context.user, let id = context.parameters.get("id"),
                let session = try? await sessions.session(id, userID: user.id),
                (try? sessions.requireUsable(session)) != nil
            else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let user = context.requestContext.user, let id = context.requestContext.parameters.get("id"),
                let session = try? await sessions.session(id, userID: user.id), let sandbox = session.sandboxID,
                let bundle = sessions.catalog[session.scenario]
            else { return }
            let scenario = bundle.scenario
            let attachment = try await sessions.terminals.attach(
                sessionID: session.id, sandbox: SandboxID(sandbox),
                request: TerminalRequest(
                    command: ["/bin/bash", "-l"], user: scenario.user, workingDirectory: scenario.homeDirectory))
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
}
