import Foundation

/// Limits on what one user may do.
public struct SessionPolicy: Sendable {
    public var maxLiveSessionsPerUser: Int
    public var startsPerMinute: Int
    public var checksPerMinute: Int
    public var cluesPerMinute: Int
    /// How often a worker looks for queued starts when nothing wakes it.
    public var workerPollInterval: Duration
    /// Extra life of the sandbox label beyond the session's time limit, covering provisioning.
    public var labelSlack: TimeInterval
    /// Live sessions of all users together (nil: no cap). Per-user limits hold per identity, and
    /// anonymous identities are free; this bounds what a client that drops its cookie can take.
    public var maxLiveSessionsTotal: Int?

    public init(
        maxLiveSessionsPerUser: Int = 1, startsPerMinute: Int = 10, checksPerMinute: Int = 30,
        cluesPerMinute: Int = 30, workerPollInterval: Duration = .seconds(1), labelSlack: TimeInterval = 120,
        maxLiveSessionsTotal: Int? = nil
    ) {
        self.maxLiveSessionsTotal = maxLiveSessionsTotal
        self.maxLiveSessionsPerUser = maxLiveSessionsPerUser
        self.startsPerMinute = startsPerMinute
        self.checksPerMinute = checksPerMinute
        self.cluesPerMinute = cluesPerMinute
        self.workerPollInterval = workerPollInterval
        self.labelSlack = labelSlack
    }
}

/// Counters the web layer exports as metrics.
public protocol SessionMetrics: Sendable {
    func started()
    func provisioned(seconds: Double)
    func checked(verdict: String)
    func reaped(action: String)
    /// A start found a pooled sandbox (hit) or not (miss), for a scenario with a pool.
    func pooled(hit: Bool)
}

extension SessionMetrics {
    public func pooled(hit: Bool) {}
}

public struct NoMetrics: SessionMetrics {
    public init() {}
    public func started() {}
    public func provisioned(seconds: Double) {}
    public func checked(verdict: String) {}
    public func reaped(action: String) {}
}

/// What a user can do with sessions, and the background work behind it (worker, reaper,
/// reconciliation). Knows nothing of HTTP or of the engine behind the provisioner.
public final class SessionService: Sendable {
    public let store: any SessionStore
    public let catalog: ScenarioCatalog
    public let provisioner: SandboxProvisioner
    public let events: SessionEvents
    public let terminals: TerminalHub
    public let policy: SessionPolicy
    public let metrics: any SessionMetrics
    /// Ready sandboxes handed to new sessions at once, when configured.
    public let pool: SandboxPool?
    /// Label that marks sandboxes made by this service, so the reaper never touches the
    /// sandboxes of a `verify` or `play` running beside the server.
    public static let ownerLabel = "breakfix.owner"
    /// This deployment's value of the owner label (one per database, so replicas sharing a
    /// database share it, and two servers with different databases never reap each other's).
    public let owner: String

    private let startLimiter: RateLimiter
    private let checkLimiter: RateLimiter
    private let clueLimiter: RateLimiter
    private let doorbell = Doorbell()
    /// The reaper prunes networks once a minute, not on every pass.
    private let networkSweep = RateLimiter(limit: 1, window: 60)

    public init(
        store: any SessionStore, catalog: ScenarioCatalog, provisioner: SandboxProvisioner,
        policy: SessionPolicy = SessionPolicy(), metrics: any SessionMetrics = NoMetrics(), owner: String = "server",
        recorder: SessionRecorder? = nil, pool: SandboxPool? = nil
    ) {
        self.owner = owner
        self.pool = pool
        self.store = store
        self.catalog = catalog
        self.provisioner = provisioner
        self.policy = policy
        self.metrics = metrics
        self.events = SessionEvents()
        self.terminals = TerminalHub(runtime: provisioner.runtime, recorder: recorder)
        self.startLimiter = RateLimiter(limit: policy.startsPerMinute, window: 60)
        self.checkLimiter = RateLimiter(limit: policy.checksPerMinute, window: 60)
        self.clueLimiter = RateLimiter(limit: policy.cluesPerMinute, window: 60)
    }

    // MARK: - User actions

    /// Queues a new session. Refuses a second live one (409 for the page to offer resume/end).
    public func start(userID: UUID, scenario slug: String, options: StartOptions = StartOptions()) async throws -> SessionRecord {
        guard let bundle = catalog[slug] else { throw SessionError.unknownScenario(slug) }
        let live = try await store.sessions(userID: userID).filter { $0.state.isLive }
        if live.count >= policy.maxLiveSessionsPerUser, let first = live.first {
            throw SessionError.liveSessionExists(first)
        }
        guard await startLimiter.allow(userID.uuidString) else { throw SessionError.rateLimited("session starts") }
        if let cap = policy.maxLiveSessionsTotal,
            try await store.sessions(states: [.queued, .provisioning, .ready, .solved]).count >= cap
        {
            throw SessionError.runtimeUnavailable("all \(cap) sandboxes of this server are in use; try again in a few minutes.")
        }
        let limit = options.timeLimitSeconds ?? bundle.scenario.timeLimitSeconds
        if let pool, pool.target(for: slug) > 0 {
            if let pooled = await pool.take(slug) {
                metrics.pooled(hit: true)
                return try await handOff(pooled, userID: userID, scenario: slug, timeLimit: limit, options: options)
            }
            metrics.pooled(hit: false)
        }
        // Refuse now rather than queue a start that cannot succeed.
        do {
            try await provisioner.runtime.ping()
        } catch {
            throw SessionError.runtimeUnavailable("\(error)")
        }
        let session = SessionRecord(
            id: randomToken(), userID: userID, scenario: slug, state: .queued,
            timeLimitSeconds: limit, interviewID: options.interviewID, cluesAllowed: options.cluesAllowed,
            contestID: options.contestID)
        try await store.enqueue(session)
        metrics.started()
        await doorbell.ring()
        return session
    }

    /// A new session on a pooled sandbox: ready at once, its clock starting now.
    private func handOff(
        _ pooled: SandboxPool.Ready, userID: UUID, scenario: String, timeLimit: Int, options: StartOptions
    ) async throws -> SessionRecord {
        let sandbox = pooled.id
        let now = Date()
        let session = SessionRecord(
            id: randomToken(), userID: userID, scenario: scenario, state: .ready, phase: .ready, sandboxID: sandbox.rawValue,
            timeLimitSeconds: timeLimit, createdAt: now, provisioningAt: now, readyAt: now,
            expiresAt: now.addingTimeInterval(Double(timeLimit)), interviewID: options.interviewID,
            cluesAllowed: options.cluesAllowed, contestID: options.contestID)
        do {
            try await store.create(session)
        } catch {
            await pooled.terminal?.close()
            try? await provisioner.runtime.destroy(sandbox)
            throw error
        }
        // The pool opened the shell already: the terminal's first attach replays its prompt.
        if let terminal = pooled.terminal {
            await terminals.adopt(sessionID: session.id, stream: terminal, request: pooled.terminalRequest)
        }
        metrics.started()
        metrics.provisioned(seconds: 0)
        await events.publish(session)
        return session
    }

    /// The caller's session; anyone else's is "not found", never "forbidden".
    public func session(_ id: String, userID: UUID) async throws -> SessionRecord {
        guard let session = try await store.session(id: id), session.userID == userID else {
            throw SessionError.notFound
        }
        return session
    }

    public func queuePosition(_ session: SessionRecord) async throws -> Int? {
        session.state == .queued ? try await store.queuePosition(sessionID: session.id) : nil
    }

    /// Ends a session at the user's request and removes its sandbox.
    public func end(_ id: String, userID: UUID) async throws -> SessionRecord {
        var session = try await self.session(id, userID: userID)
        guard session.state.isLive else { return session }
        let now = Date()
        // A solved session keeps its solvedAt; the state records how it ended.
        session.state = .abandoned
        session.endedAt = now
        session.reason = session.reason ?? "Ended by the user."
        try await store.update(session)
        await events.publish(session)
        return await destroySandbox(of: session)
    }

    /// Runs the check. The first OK marks the session solved.
    public func check(_ id: String, userID: UUID) async throws -> (attempt: AttemptRecord, verdict: CheckVerdict, number: Int) {
        var session = try await self.session(id, userID: userID)
        try requireUsable(session)
        guard let bundle = catalog[session.scenario], let sandbox = session.sandboxID else {
            throw SessionError.notReady(session.state)
        }
        guard await checkLimiter.allow(userID.uuidString) else { throw SessionError.rateLimited("checks") }
        let verdict: CheckVerdict
        do {
            verdict = try await provisioner.check(SandboxID(sandbox), bundle)
        } catch let error as RuntimeError {
            if case .sandboxNotFound = error {
                session = try await fail(session, reason: "The sandbox disappeared; start the scenario again.")
                throw SessionError.ended(session.state)
            }
            throw SessionError.runtimeUnavailable(error.description)
        }
        let attempt = AttemptRecord(sessionID: session.id, verdict: verdict.label, message: verdict.message)
        try await store.addAttempt(attempt)
        metrics.checked(verdict: verdict.label)
        let number = try await store.attempts(sessionID: session.id).count
        await terminals.recorder?.marker(session.id, "check \(number): \(verdict.label)")
        if verdict.isSolved, session.solvedAt == nil {
            session.state = .solved
            session.solvedAt = attempt.at
            try await store.update(session)
            await events.publish(session)
        }
        return (attempt, verdict, number)
    }

    /// Reveals the next clue and records it.
    public func revealClue(_ id: String, userID: UUID) async throws -> (index: Int, text: String) {
        let session = try await self.session(id, userID: userID)
        guard session.state.isLive else { throw SessionError.ended(session.state) }
        guard let bundle = catalog[session.scenario] else { throw SessionError.unknownScenario(session.scenario) }
        guard session.cluesAllowed else { throw SessionError.cluesNotAllowed }
        let shown = try await store.clueReveals(sessionID: session.id).count
        guard shown < bundle.scenario.clues.count else { throw SessionError.noMoreClues }
        guard await clueLimiter.allow(userID.uuidString) else { throw SessionError.rateLimited("clue requests") }
        try await store.addClueReveal(ClueRevealRecord(sessionID: session.id, index: shown))
        await terminals.recorder?.marker(session.id, "clue \(shown + 1)")
        return (shown, bundle.scenario.clues[shown])
    }

    /// The sandbox may take commands (terminal, check).
    public func requireUsable(_ session: SessionRecord) throws {
        switch session.state {
        case .ready, .solved:
            if let expires = session.expiresAt, expires < Date() { throw SessionError.ended(.expired) }
        case .queued, .provisioning: throw SessionError.notReady(session.state)
        default: throw SessionError.ended(session.state)
        }
    }

    // MARK: - Worker

    /// Provisions queued sessions until cancelled. Several workers (in one or several processes)
    /// may run at once: the store hands each job to exactly one.
    public func runWorker(id worker: String) async {
        while !Task.isCancelled {
            do {
                while try await provisionNext(worker: worker) {}
            } catch {
                // The database or engine is down: wait and try again; nothing is lost, the job stays.
            }
            // Wait for a local start or the poll interval (starts queued by other servers).
            let timer = Task { [doorbell, policy] in
                // A cancelled timer must not ring: that would wake the next wait at once and
                // turn this loop into a busy one.
                do { try await Task.sleep(for: policy.workerPollInterval) } catch { return }
                await doorbell.ring()
            }
            await doorbell.wait()
            timer.cancel()
        }
    }

    /// Claims and provisions one queued session. Returns false when the queue was empty.
    @discardableResult
    public func provisionNext(worker: String) async throws -> Bool {
        guard var session = try await store.claimNextStart(worker: worker) else { return false }
        await events.publish(session)
        guard let bundle = catalog[session.scenario] else {
            _ = try await fail(session, reason: "The scenario \(session.scenario) is no longer offered.")
            return true
        }
        let started = ContinuousClock.now
        let labelExpiry = Date().addingTimeInterval(Double(session.timeLimitSeconds) + policy.labelSlack)
        do {
            let claimed = session
            let id = try await provisioner.provision(
                bundle, session: session.id, expiresAt: labelExpiry,
                extraLabels: [Self.ownerLabel: owner]
            ) { phase in
                // Conditional writes only: a write from the claimed copy would undo an end that
                // happened meanwhile (the session came back as ready with a live sandbox).
                guard phase != .ready else { return }
                try? await self.store.recordPhase(sessionID: claimed.id, phase)
                if let current = try? await self.store.session(id: claimed.id), current.state == .provisioning {
                    await self.events.publish(current)
                }
            }
            session.sandboxID = id.rawValue
            // A user may have ended the session while it was being prepared (checked here to
            // skip opening a shell; `markReady` below closes the remaining window).
            if let current = try await store.session(id: session.id), current.state != .provisioning {
                return await endedWhileProvisioning(current, sandbox: id.rawValue)
            }
            // Open the user's shell while the state is written: their first attach then joins
            // it instead of waiting for an exec and bash's start-up.
            let request = TerminalRequest.shell(for: bundle.scenario)
            let runtime = provisioner.runtime
            async let shell = try? runtime.openTerminal(id, request)
            let now = Date()
            session.state = .ready
            session.phase = .ready
            session.readyAt = now
            session.expiresAt = now.addingTimeInterval(Double(session.timeLimitSeconds))
            let written: Bool
            do {
                written = try await store.markReady(session)
            } catch {
                await shell?.close()
                throw error
            }
            guard written else {
                await shell?.close()
                let current = try? await store.session(id: session.id)
                return await endedWhileProvisioning(current ?? claimed, sandbox: id.rawValue)
            }
            if let opened = await shell { await terminals.adopt(sessionID: session.id, stream: opened, request: request) }
            try? await store.finishStartJob(sessionID: session.id, error: nil)
            let elapsed = ContinuousClock.now - started
            metrics.provisioned(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            await events.publish(session)
        } catch {
            try? await store.finishStartJob(sessionID: session.id, error: "\(error)")
            _ = try await fail(session, reason: "The sandbox could not be started: \(error)")
        }
        return true
    }

    /// The user ended the session while its sandbox was being made: remove the sandbox made for
    /// it, keep the end as the user left it (`current`, as stored), and close the start job.
    private func endedWhileProvisioning(_ current: SessionRecord, sandbox: String) async -> Bool {
        var session = current
        session.sandboxID = sandbox
        _ = await destroySandbox(of: session)
        try? await store.finishStartJob(sessionID: session.id, error: nil)
        return true
    }

    // MARK: - Reaper and reconciliation

    /// Ends expired sessions, removes the sandboxes of ended ones, and removes any sandbox of this
    /// server that no live session owns or whose label says it has expired.
    public func reap(now: Date = Date()) async throws {
        for var session in try await store.sessions(states: [.ready, .solved]) {
            guard let expires = session.expiresAt, expires <= now else { continue }
            session.state = .expired
            session.endedAt = now
            session.reason = "The time limit was reached."
            try await store.update(session)
            await events.publish(session)
            metrics.reaped(action: "expired")
            _ = await destroySandbox(of: session)
        }
        for session in try await store.sessions(states: [.expired, .abandoned, .failed]) {
            _ = await destroySandbox(of: session)
        }
        let liveSessions = try await store.sessions(states: [.queued, .provisioning, .ready, .solved])
        let live = Set(liveSessions.map(\.id))
        // A pooled sandbox carries the pool's label, not its session's: match those by id.
        let liveSandboxes = Set(liveSessions.compactMap(\.sandboxID))
        for sandbox in try await provisioner.runtime.list(labels: [SandboxLabel.managed: "true"]) {
            let expired = sandbox.labels[SandboxLabel.expires].flatMap(Double.init).map { $0 < now.timeIntervalSince1970 } ?? false
            let ours = sandbox.labels[Self.ownerLabel] == owner
            let owned = live.contains(sandbox.labels[SandboxLabel.session] ?? "") || liveSandboxes.contains(sandbox.id.rawValue)
            let pooled = await pool?.holds(sandbox) ?? false
            let orphan = ours && !owned && !pooled
            guard expired || orphan else { continue }
            if pooled { await pool?.forget(sandbox.id) }
            try? await provisioner.runtime.destroy(sandbox.id)
            metrics.reaped(action: expired ? "expired_sandbox" : "orphan_sandbox")
        }
        // Session networks whose sandboxes are all gone (normally removed with the last one).
        if await networkSweep.allow("networks", now: now) {
            let pruned = (try? await provisioner.runtime.pruneNetworks(labels: [Self.ownerLabel: owner], olderThan: .seconds(300))) ?? 0
            for _ in 0..<pruned { metrics.reaped(action: "orphan_network") }
        }
    }

    /// After a restart: sessions whose sandbox still runs go on; the others end as failed with a
    /// reason; sessions caught mid-provisioning are failed (their half-made sandbox removed);
    /// queued ones stay queued for the worker.
    public func reconcile() async throws {
        let running = try await provisioner.runtime.list(labels: [Self.ownerLabel: owner])
        let alive = Dictionary(
            running.filter { $0.state == .running }.map { ($0.labels[SandboxLabel.session] ?? "", $0) },
            uniquingKeysWith: { first, _ in first })
        for session in try await store.sessions(states: [.provisioning]) {
            if let sandbox = alive[session.id] { try? await provisioner.runtime.destroy(sandbox.id) }
            _ = try await fail(session, reason: "The server restarted while your sandbox was being prepared; start again.")
        }
        let aliveIDs = Set(running.filter { $0.state == .running }.map(\.id.rawValue))
        for session in try await store.sessions(states: [.ready, .solved])
        where alive[session.id] == nil && !(session.sandboxID.map(aliveIDs.contains) ?? false) {
            _ = try await fail(session, reason: "The sandbox was lost while the server was down; start again.")
        }
    }

    private func fail(_ session: SessionRecord, reason: String) async throws -> SessionRecord {
        var session = session
        session.state = .failed
        session.reason = reason
        session.endedAt = Date()
        try await store.update(session)
        await events.publish(session)
        return await destroySandbox(of: session)
    }

    /// Removes an ended session's sandbox and marks it destroyed; on an engine error the state
    /// stays as it is and the reaper tries again.
    private func destroySandbox(of session: SessionRecord) async -> SessionRecord {
        var session = session
        await terminals.close(sessionID: session.id)
        if let sandbox = session.sandboxID {
            await saveHistory(of: session, sandbox: SandboxID(sandbox))
            do { try await provisioner.runtime.destroy(SandboxID(sandbox)) } catch { return session }
        }
        session.destroyedAt = Date()
        if session.state.isEnded { session.state = .destroyed }
        do { try await store.update(session) } catch { return session }
        await events.publish(session)
        return session
    }
}

extension SessionService {
    /// What a start may set beyond the scenario (an interview's clock and clue rule).
    public struct StartOptions: Sendable {
        public var interviewID: String?
        public var timeLimitSeconds: Int?
        public var cluesAllowed: Bool
        /// The contest the session is played in (its checks count there).
        public var contestID: String?

        public init(interviewID: String? = nil, timeLimitSeconds: Int? = nil, cluesAllowed: Bool = true, contestID: String? = nil) {
            self.contestID = contestID
            self.interviewID = interviewID
            self.timeLimitSeconds = timeLimitSeconds
            self.cluesAllowed = cluesAllowed
        }
    }

    /// The shell's own history (written after every command: the terminal sets `PROMPT_COMMAND`),
    /// kept beside the recording before the sandbox goes. Best effort: a stopped sandbox has none.
    func saveHistory(of session: SessionRecord, sandbox: SandboxID) async {
        guard let recorder = terminals.recorder, session.readyAt != nil,
            !FileManager.default.fileExists(atPath: recorder.historyFile(for: session.id).path)
        else { return }
        let user = catalog[session.scenario]?.scenario.user
        guard
            let result = try? await provisioner.runtime.exec(
                sandbox,
                ExecRequest(
                    command: ["/bin/sh", "-c", "cat \"$HOME/.bash_history\" 2>/dev/null"], user: user,
                    timeout: .seconds(5), outputLimit: 256 * 1024)),
            !result.stdout.isEmpty
        else { return }
        try? FileManager.default.createDirectory(at: recorder.directory, withIntermediateDirectories: true)
        try? Data(result.stdout).write(to: recorder.historyFile(for: session.id))
    }

    /// Deletes recordings (and saved histories) last written before `cutoff`; never a live
    /// session's. Returns how many were deleted.
    @discardableResult
    public func purgeRecordings(olderThan cutoff: Date) async throws -> Int {
        guard let recorder = terminals.recorder else { return 0 }
        let live = Set(try await store.sessions(states: [.queued, .provisioning, .ready, .solved]).map(\.id))
        return await recorder.purge(olderThan: cutoff, keep: live).count
    }

    /// The terminal request of a session's shell: a login shell as the scenario's user, with its
    /// history written after every command (for the interview report).
    public func terminalRequest(for session: SessionRecord) -> TerminalRequest? {
        catalog[session.scenario].map { TerminalRequest.shell(for: $0.scenario) }
    }
}

/// Wakes waiting workers when a start is queued in this process.
actor Doorbell {
    private var pending = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func ring() {
        if waiters.isEmpty {
            pending = true
        } else {
            waiters.forEach { $0.resume() }
            waiters.removeAll()
        }
    }

    func wait() async {
        if pending {
            pending = false
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }
}
