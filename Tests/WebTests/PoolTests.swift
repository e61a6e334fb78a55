import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

/// The warm pool through the real router and database (the engine is the fake one: what is
/// tested is the hand-off, the refill, and that the reaper and a restart keep the right sandboxes).
@Suite struct PoolTests {
    @Test func aStartTakesAPooledSandboxAndThePoolRefills() async throws {
        let h = try await WebHarness.make(pool: ["flag-test": 2])
        let pool = try #require(h.sessions.pool)
        while await pool.fillOne() {}
        #expect(h.runtime.live == 2)
        #expect(await pool.readyCounts == ["flag-test": 2])
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(started.status == .accepted)
            #expect(started.json["state"] as? String == "ready", "a pooled start is ready at once")
            #expect(started.json["expires_at"] is String)
            let id = try #require(started.json["id"] as? String)
            let cookie = try #require(started.tokenCookie)
            let session = try #require(try await h.sessions.store.session(id: id))
            let expires = try #require(session.expiresAt)
            #expect(abs(expires.timeIntervalSinceNow - 600) < 5, "the session's clock starts at the hand-off, not when the pool made the sandbox")
            #expect(await pool.readyCounts == ["flag-test": 1])
            // Its shell was opened by the pool: the first attach joins it and gets its prompt.
            #expect(await h.sessions.terminals.activeShells == 1)
            let attachment = try await h.sessions.terminals.attach(
                sessionID: id, sandbox: SandboxID(try #require(session.sandboxID)),
                request: try #require(h.sessions.terminalRequest(for: session)))
            var seen = String(decoding: attachment.replay, as: UTF8.self)
            if !seen.contains("$ ") {
                for await chunk in attachment.output {
                    seen += String(decoding: chunk, as: UTF8.self)
                    if seen.contains("$ ") { break }
                }
            }
            #expect(seen.contains("admin@fake:~$ "))
            await h.sessions.terminals.detach(sessionID: id, clientID: attachment.clientID)

            // The reaper leaves the handed-off sandbox (pool label, not its session's) and the pooled one alone.
            try await h.sessions.reap()
            #expect(h.runtime.live == 2)
            let check = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            #expect(check.json["verdict"] as? String == "NO")

            // A restart: reconciliation keeps the handed-off session by its sandbox id.
            try await h.sessions.reconcile()
            #expect(try await h.sessions.store.session(id: id)?.state == .ready)

            // Refill, then the metrics say so.
            while await pool.fillOne() {}
            #expect(await pool.readyCounts == ["flag-test": 2])
            #expect(h.runtime.live == 3)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("breakfix_pool_ready{scenario=\"flag-test\"} 2"))
            #expect(metrics.text.contains("breakfix_pool_takes_total{result=\"hit\"} 1"))

            // Ending the session removes its sandbox; the pool's stay.
            _ = try await client.execute(uri: "/api/sessions/\(id)", method: .delete, headers: headers(cookie: cookie))
            #expect(h.runtime.live == 2)
            // With the pool drained a start queues as usual.
            await pool.drain()
            #expect(h.runtime.live == 0)
            let queued = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(queued.json["state"] as? String == "queued")
        }
        await h.close()
    }

    @Test func aSandboxThePoolDoesNotKnowIsAnOrphan() async throws {
        let h = try await WebHarness.make(pool: ["flag-test": 1])
        // A pooled sandbox left by an earlier server process: same owner, pool label, no session.
        let bundle = try #require(h.sessions.catalog["flag-test"])
        _ = try await h.sessions.provisioner.provision(
            bundle, session: "pool-" + randomToken(), expiresAt: Date().addingTimeInterval(3600),
            extraLabels: [SessionService.ownerLabel: "server", SandboxPool.poolLabel: "flag-test"])
        #expect(h.runtime.live == 1)
        try await h.sessions.reap()
        #expect(h.runtime.live == 0, "an unknown pooled sandbox is removed")
        await h.close()
    }

    @Test func theMemoryBudgetCapsThePoolAndOldSandboxesAreReplaced() async throws {
        let h = try await WebHarness.make()
        let pool = SandboxPool(
            configuration: .init(sizes: ["*": 5], memoryBudgetBytes: 600 << 20, maxAge: 600),
            provisioner: h.sessions.provisioner, catalog: h.sessions.catalog, extraLabels: [:])
        while await pool.fillOne() {}
        #expect(h.runtime.live == 2, "two 256 MiB sandboxes fit in 600 MiB, a third does not")
        // Past the maximum age nothing is handed out; the old ones go.
        #expect(await pool.take("flag-test", now: Date().addingTimeInterval(3600)) == nil)
        try await Task.sleep(for: .milliseconds(200))
        #expect(h.runtime.live == 0)
        #expect(await pool.readyCounts == ["flag-test": 0])
        await h.close()
    }

    @Test func poolSizesParse() throws {
        #expect(try SandboxPool.Configuration.parseSizes("a=2, b=0,*=1") == ["a": 2, "b": 0, "*": 1])
        #expect(throws: ProvisionError.self) { try SandboxPool.Configuration.parseSizes("a=lots") }
        let c = try SandboxPool.Configuration.fromEnvironment(["BREAKFIX_POOL": "x=1", "BREAKFIX_POOL_MEMORY": "512m"])
        #expect(c.memoryBudgetBytes == 512 << 20 && c.isEnabled)
        #expect(throws: ProvisionError.self) { try SandboxPool.Configuration.fromEnvironment(["BREAKFIX_POOL_MEMORY": "much"]) }
    }
}
