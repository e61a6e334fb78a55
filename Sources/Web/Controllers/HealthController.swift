import BreakfixCore
import Hummingbird

/// `/healthz` (the process answers), `/readyz` (database and engine reachable), `/metrics`.
struct HealthController: Sendable {
    let sessions: SessionService
    let metrics: BreakfixMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            var problems: [String] = []
            do { try await sessions.store.ping() } catch { problems.append("database: \(error)") }
            do { try await sessions.provisioner.runtime.ping() } catch { problems.append("sandboxes: \(error)") }
            let ok = problems.isEmpty
            return Response(
                status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ok ? "ready\n" : problems.joined(separator: "\n") + "\n")))
        }
        router.get("metrics") { _, _ -> Response in
            await metrics.refresh(sessions: sessions)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
}
