import Foundation
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
    /// Recordings older than this are deleted (checked hourly).
    var recordingRetention: TimeInterval = 30 * 86400

    func run() async throws {
        do {
            try await sessions.reconcile()
        } catch {
            logger.error("Reconciling sessions with the sandboxes failed (will retry on the next sweep): \(error)")
        }
        await cancelWhenGracefulShutdown {
            var lastPurge = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await sessions.reap()
                } catch {
                    logger.warning("Reaper sweep failed: \(error)")
                }
                if Date().timeIntervalSince(lastPurge) > 3600 {
                    lastPurge = Date()
                    do {
                        let deleted = try await sessions.purgeRecordings(olderThan: Date().addingTimeInterval(-recordingRetention))
                        if deleted > 0 { logger.info("Deleted \(deleted) recording(s) past the retention period.") }
                    } catch {
                        logger.warning("Recording retention sweep failed: \(error)")
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

/// Keeps the warm pool full; on shutdown removes the sandboxes it still holds.
struct PoolService: Service {
    let pool: SandboxPool
    let logger: Logger

    func run() async throws {
        logger.info("Warm pool: \(pool.configuration.sizes.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))")
        await cancelWhenGracefulShutdown {
            await pool.run()
        }
        await pool.drain()
    }
}
