import BreakfixCore
import Logging
import ServiceLifecycle

/// The start-job worker as a service of the group: stops with the server.
struct WorkerService: Service {
    let sessions: SessionService
    let id: String

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await sessions.runWorker(id: id)
        }
    }
}

/// Reconciles the database with the engine at start, then reaps every few seconds.
struct ReaperService: Service {
    let sessions: SessionService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await sessions.reconcile()
        } catch {
            logger.error("Reconciling sessions with the sandboxes failed (will retry on the next sweep): \(error)")
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sessions.reap()
                } catch {
                    logger.warning("Reaper sweep failed: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
