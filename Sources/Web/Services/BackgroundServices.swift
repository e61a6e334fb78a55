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

/// One in-process judge worker: claims submissions from the queue and judges them until the
/// server stops. Worker 0 also puts back submissions whose worker died (see `SubmissionService`).
struct JudgeWorkerService: Service {
    let submissions: SubmissionService
    let judge: any Judge
    let id: String
    let logger: Logger

    func run() async throws {
        let logger = self.logger
        if id.hasSuffix("-judge-0") {
            do {
                let requeued = try await submissions.recoverOrphans(host: ProcessInfo.processInfo.hostName)
                if requeued > 0 { logger.info("Put \(requeued) submission(s) of a stopped judge worker back in the queue.") }
            } catch {
                logger.warning("Could not look for submissions of stopped judge workers: \(error)")
            }
        }
        await cancelWhenGracefulShutdown {
            await submissions.runWorker(id: id, judge: judge) { logger.warning("\($0)") }
        }
    }
}

/// Runs `count` judge workers until SIGTERM or SIGINT (`breakfix judge-worker`); a submission
/// being judged then is put back in the queue by the next worker that starts on this host.
public func runJudgeWorkers(submissions: SubmissionService, judge: any Judge, count: Int, logger: Logger) async throws {
    let host = ProcessInfo.processInfo.hostName
    let services: [any Service] = (0..<count).map {
        JudgeWorkerService(submissions: submissions, judge: judge, id: "\(host)-\(getpid())-judge-\($0)", logger: logger)
    }
    let group = ServiceGroup(
        configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
