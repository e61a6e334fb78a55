import BreakfixCore
import Prometheus

/// The Prometheus registry behind `/metrics` and the counters the session service feeds.
public final class BreakfixMetrics: SessionMetrics {
    public let registry = PrometheusCollectorRegistry()
    private let starts: Counter
    private let startLatency: ValueHistogram

    public init() {
        starts = registry.makeCounter(name: "breakfix_session_starts_total", help: "Sessions queued.")
        startLatency = registry.makeValueHistogram(
            name: "breakfix_session_start_seconds", buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60],
            help: "Time from a worker claiming a start to the sandbox being ready.")
    }

    public func started() { starts.increment() }
    public func provisioned(seconds: Double) { startLatency.record(seconds) }

    public func checked(verdict: String) {
        registry.makeCounter(name: "breakfix_checks_total", labels: [("verdict", verdict)], help: "Checks run, by verdict.")
            .increment()
    }

    public func reaped(action: String) {
        registry.makeCounter(name: "breakfix_reaper_actions_total", labels: [("action", action)], help: "What the reaper removed.")
            .increment()
    }

    public func pooled(hit: Bool) {
        registry.makeCounter(
            name: "breakfix_pool_takes_total", labels: [("result", hit ? "hit" : "miss")],
            help: "Starts of pooled scenarios: handed a ready sandbox (hit) or queued (miss)."
        ).increment()
    }

    /// Gauges read at scrape time: sessions by state and open terminals.
    func refresh(sessions: SessionService) async {
        let all = (try? await sessions.store.sessions(states: SessionState.allCases.filter { $0 != .destroyed })) ?? []
        for state in SessionState.allCases where state != .destroyed {
            registry.makeGauge(name: "breakfix_sessions", labels: [("state", state.rawValue)], help: "Sessions by state (not yet destroyed).")
                .set(Double(all.filter { $0.state == state }.count))
        }
        registry.makeGauge(name: "breakfix_active_terminals", help: "Open terminal connections.")
            .set(Double(await sessions.terminals.activeClients))
        if let pool = sessions.pool {
            for (slug, count) in await pool.readyCounts {
                registry.makeGauge(name: "breakfix_pool_ready", labels: [("scenario", slug)], help: "Ready sandboxes in the warm pool.")
                    .set(Double(count))
            }
        }
    }
}
