import Foundation

/// Sandboxes made ahead of demand: per scenario, a few created, booted and past `start.sh`,
/// handed to a new session at once and replaced in the background.
///
/// A pooled sandbox is an ordinary sandbox of this server (owner label, `breakfix.pool=<slug>`,
/// an expiry label that covers the pool's maximum age plus a session's time limit); the reaper
/// leaves alone the ones this pool holds or is making, and removes any other. A session's clock
/// starts at the hand-off, like a fresh one's; `start.sh` ran for this sandbox alone, so its
/// randomised values are its own. What a user could still tell: process start times and the
/// journal are up to `maxAge` older than the session (README, Performance).
public actor SandboxPool {
    public struct Configuration: Sendable, Equatable {
        /// Target number of ready sandboxes per scenario slug; `*` applies to every scenario.
        public var sizes: [String: Int]
        /// The memory limits of all pooled sandboxes together stay under this.
        public var memoryBudgetBytes: Int64
        /// A pooled sandbox older than this is replaced instead of handed out.
        public var maxAge: TimeInterval

        public init(sizes: [String: Int] = [:], memoryBudgetBytes: Int64 = 2 << 30, maxAge: TimeInterval = 1800) {
            self.sizes = sizes
            self.memoryBudgetBytes = memoryBudgetBytes
            self.maxAge = maxAge
        }

        public var isEnabled: Bool { sizes.values.contains { $0 > 0 } }

        /// `slug=N,other=M` or `*=N`.
        public static func parseSizes(_ text: String) throws -> [String: Int] {
            var sizes: [String: Int] = [:]
            for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
                let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), (0...100).contains(n) else {
                    throw ProvisionError("BREAKFIX_POOL item \"\(item)\" is not slug=N (N from 0 to 100), e.g. nginx-wont-start=2 or *=1.")
                }
                sizes[parts[0]] = n
            }
            return sizes
        }

        /// `BREAKFIX_POOL`, `BREAKFIX_POOL_MEMORY` (bytes, or with k/m/g), `BREAKFIX_POOL_MAX_AGE` (seconds).
        public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
            var c = Configuration()
            if let v = env["BREAKFIX_POOL"] { c.sizes = try parseSizes(v) }
            if let v = env["BREAKFIX_POOL_MEMORY"], !v.isEmpty {
                guard let bytes = parseBytes(v) else {
                    throw ProvisionError("BREAKFIX_POOL_MEMORY \"\(v)\" is not a size like 4g or 512m.")
                }
                c.memoryBudgetBytes = bytes
            }
            if let v = env["BREAKFIX_POOL_MAX_AGE"], !v.isEmpty {
                guard let seconds = TimeInterval(v), seconds >= 60 else {
                    throw ProvisionError("BREAKFIX_POOL_MAX_AGE \"\(v)\" is not a number of seconds (at least 60).")
                }
                c.maxAge = seconds
            }
            return c
        }

        static func parseBytes(_ text: String) -> Int64? {
            let t = text.lowercased().trimmingCharacters(in: .whitespaces)
            let units: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
            if let last = t.last, let unit = units[last], let n = Int64(t.dropLast()) { return n * unit }
            return Int64(t)
        }
    }

    public static let poolLabel = "breakfix.pool"

    struct Entry {
        var id: SandboxID
        var createdAt: Date
        var memory: Int64
        var terminal: (any TerminalStream)?
        var terminalRequest: TerminalRequest
    }

    /// What a start gets: the sandbox, and its shell already open (its prompt waiting), when the
    /// pool could open one.
    public struct Ready: Sendable {
        public var id: SandboxID
        public var terminal: (any TerminalStream)?
        public var terminalRequest: TerminalRequest
    }

    public nonisolated let configuration: Configuration
    private let provisioner: SandboxProvisioner
    private let catalog: ScenarioCatalog
    private let extraLabels: [String: String]
    private let labelSlack: TimeInterval
    private var ready: [String: [Entry]] = [:]
    /// Sandboxes being made, by the session label they carry.
    private var making: [String: (slug: String, memory: Int64)] = [:]
    /// Scenarios whose last fill failed, and when to try again.
    private var backoff: [String: Date] = [:]
    public private(set) var lastError: [String: String] = [:]
    private let wake = Doorbell()

    public init(
        configuration: Configuration, provisioner: SandboxProvisioner, catalog: ScenarioCatalog,
        extraLabels: [String: String], labelSlack: TimeInterval = 120
    ) {
        self.configuration = configuration
        self.provisioner = provisioner
        self.catalog = catalog
        self.extraLabels = extraLabels
        self.labelSlack = labelSlack
    }

    public nonisolated func target(for slug: String) -> Int {
        configuration.sizes[slug] ?? configuration.sizes["*"] ?? 0
    }

    /// Ready sandboxes per scenario (for `/metrics`).
    public var readyCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for bundle in catalog.bundles where target(for: bundle.scenario.slug) > 0 {
            counts[bundle.scenario.slug] = ready[bundle.scenario.slug]?.count ?? 0
        }
        return counts
    }

    /// A ready sandbox for a new session, or nil (the caller provisions one the usual way).
    public func take(_ slug: String, now: Date = Date()) -> Ready? {
        defer { Task { await wake.ring() } }
        while var entries = ready[slug], !entries.isEmpty {
            let entry = entries.removeFirst()
            ready[slug] = entries
            if now.timeIntervalSince(entry.createdAt) <= configuration.maxAge {
                return Ready(id: entry.id, terminal: entry.terminal, terminalRequest: entry.terminalRequest)
            }
            discard(entry)
        }
        return nil
    }

    private func discard(_ entry: Entry) {
        let runtime = provisioner.runtime
        Task {
            await entry.terminal?.close()
            try? await runtime.destroy(entry.id)
        }
    }

    /// Whether the pool holds (or is making) this sandbox: the reaper leaves those alone.
    public func holds(_ sandbox: SandboxInfo) -> Bool {
        if let label = sandbox.labels[SandboxLabel.session], making[label] != nil { return true }
        return ready.values.contains { $0.contains { $0.id == sandbox.id } }
    }

    /// Forgets a sandbox that was removed behind the pool's back.
    public func forget(_ id: SandboxID) {
        for (slug, entries) in ready {
            for entry in entries where entry.id == id { Task { await entry.terminal?.close() } }
            ready[slug] = entries.filter { $0.id != id }
        }
    }

    private var reserved: Int64 {
        ready.values.joined().reduce(0) { $0 + $1.memory } + making.values.reduce(0) { $0 + $1.memory }
    }

    /// The scenario most short of its target that fits the memory budget and is not backing off.
    private func nextToFill(now: Date) -> ScenarioBundle? {
        var best: (bundle: ScenarioBundle, deficit: Int)?
        for bundle in catalog.bundles {
            let slug = bundle.scenario.slug
            let have = (ready[slug]?.count ?? 0) + making.values.filter { $0.slug == slug }.count
            let deficit = target(for: slug) - have
            guard deficit > 0, (backoff[slug] ?? .distantPast) <= now else { continue }
            let memory = bundle.scenario.limits.clamped(to: provisioner.maximum).memoryBytes
            guard reserved + memory <= configuration.memoryBudgetBytes else { continue }
            if deficit > (best?.deficit ?? 0) { best = (bundle, deficit) }
        }
        return best?.bundle
    }

    /// Makes one sandbox for the scenario most short of its target. Returns false when nothing
    /// needed making (or could be made now).
    @discardableResult
    public func fillOne(now: Date = Date()) async -> Bool {
        recycle(now: now)
        guard let bundle = nextToFill(now: now) else { return false }
        let slug = bundle.scenario.slug
        let label = "pool-" + randomToken()
        let memory = bundle.scenario.limits.clamped(to: provisioner.maximum).memoryBytes
        making[label] = (slug, memory)
        defer { making[label] = nil }
        // Covers the longest wait in the pool and then a whole session.
        let expires = now.addingTimeInterval(configuration.maxAge + Double(bundle.scenario.timeLimitSeconds) + labelSlack)
        var labels = extraLabels
        labels[Self.poolLabel] = slug
        do {
            let id = try await provisioner.provision(bundle, session: label, expiresAt: expires, extraLabels: labels)
            // Open the shell now: the user's first attach then only joins it. Without it the
            // sandbox is still good; the attach opens one as usual.
            let request = TerminalRequest.shell(for: bundle.scenario)
            let terminal = try? await provisioner.runtime.openTerminal(id, request)
            ready[slug, default: []].append(
                Entry(id: id, createdAt: Date(), memory: memory, terminal: terminal, terminalRequest: request))
            backoff[slug] = nil
            lastError[slug] = nil
        } catch {
            backoff[slug] = Date().addingTimeInterval(15)
            lastError[slug] = "\(error)"
        }
        return true
    }

    /// Removes entries past their maximum age (they are replaced by the next fills).
    private func recycle(now: Date) {
        for (slug, entries) in ready {
            let (keep, old) = (entries.filter { now.timeIntervalSince($0.createdAt) <= configuration.maxAge },
                               entries.filter { now.timeIntervalSince($0.createdAt) > configuration.maxAge })
            ready[slug] = keep
            for entry in old { discard(entry) }
        }
    }

    /// Drops entries whose sandbox is no longer running (killed, removed by hand).
    public func prune() async {
        guard !ready.isEmpty,
            let running = try? await provisioner.runtime.list(labels: [SandboxLabel.managed: "true"])
        else { return }
        let alive = Set(running.filter { $0.state == .running }.map(\.id))
        for (slug, entries) in ready {
            for entry in entries where !alive.contains(entry.id) { discard(entry) }
            ready[slug] = entries.filter { alive.contains($0.id) }
        }
    }

    /// Keeps the pool full until cancelled: fills one at a time, wakes on every take, prunes
    /// dead entries every 30 s.
    public func run() async {
        var lastPrune = Date()
        while !Task.isCancelled {
            while !Task.isCancelled, await fillOne() {}
            if Date().timeIntervalSince(lastPrune) > 30 {
                lastPrune = Date()
                await prune()
            }
            let wake = self.wake
            let timer = Task {
                do { try await Task.sleep(for: .seconds(2)) } catch { return }
                await wake.ring()
            }
            await wake.wait()
            timer.cancel()
        }
    }

    /// Removes every ready sandbox (server shutdown).
    public func drain() async {
        let all = Array(ready.values.joined())
        ready.removeAll()
        for entry in all {
            await entry.terminal?.close()
            try? await provisioner.runtime.destroy(entry.id)
        }
    }
}
