import BreakfixCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Web

/// The web app's security properties that APITests does not already cover: CSRF on every
/// state-changing route, unguessable ids, passwords, cookies, headers everywhere, XSS through
/// usernames, the sandbox expiry, and 1,000+ malformed JSON bodies.
@Suite(.serialized) struct WebSecurityTests {
    /// Every operation in openapi.yaml on a session id, as (method, path with `{id}` left in).
    static func sessionRoutes() throws -> [(HTTPRequest.Method, String)] {
        let spec = try String(contentsOf: openAPIFile(), encoding: .utf8)
        var routes: [(HTTPRequest.Method, String)] = []
        var path: String?
        for line in spec.split(separator: "\n") {
            if line.hasPrefix("  /") && line.hasSuffix(":") {
                let p = String(line.dropFirst(2).dropLast())
                path = p.hasPrefix("/api/sessions/{id}") ? p : nil
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                switch line.trimmingCharacters(in: .whitespaces).dropLast() {
                case "get": routes.append((.get, path))
                case "post": routes.append((.post, path))
                case "delete": routes.append((.delete, path))
                default: break
                }
            }
        }
        return routes
    }

    /// IDOR: every session-id operation of openapi.yaml (and the pages) answers another user, or
    /// nobody, as if the session did not exist; the owner's session is untouched afterwards.
    @Test func everySessionRouteRefusesAnotherUser() async throws {
        let routes = try Self.sessionRoutes()
        #expect(routes.count >= 6, "found only \(routes.count) session routes")
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let owner = try #require(started.tokenCookie)
            let id = try #require(started.json["id"] as? String)
            #expect(try await h.sessions.provisionNext(worker: "test"))
            let other = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let intruder = try #require(other.tokenCookie)
            // The terminal WebSocket needs a real upgrade: the abuse suite tries it on the real server.
            for (method, template) in routes.filter({ !$0.1.hasSuffix("/terminal") }) + [(.get, "/sessions/{id}"), (.get, "/sessions/{id}/results"), (.get, "/sessions/{id}/replay")] {
                let path = template.replacingOccurrences(of: "{id}", with: id)
                for cookie in [intruder, nil] {
                    let r = try await client.execute(uri: path, method: method, headers: headers(cookie: cookie))
                    #expect([.notFound, .unauthorized, .forbidden, .badRequest].contains(r.status), "\(method) \(path) as \(cookie == nil ? "nobody" : "another user"): \(r.status)")
                    #expect(!r.text.contains("flag-test") || r.status == .notFound && !r.text.contains("\"state\""), "\(method) \(path) leaks the session")
                }
            }
            let mine = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: owner))
            #expect(mine.json["state"] as? String == "ready", "the owner's session is untouched")
            #expect(h.runtime.live == 1, "nobody else's requests made or removed a sandbox")
        }
        await h.close()
    }

    /// Every state-changing operation in openapi.yaml plus the HTML form posts.
    static func stateChangingRoutes() throws -> [(HTTPRequest.Method, String)] {
        let spec = try String(contentsOf: openAPIFile(), encoding: .utf8)
        var routes: [(HTTPRequest.Method, String)] = []
        var path: String?
        for line in spec.split(separator: "\n") {
            if line.hasPrefix("  /") && line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
                    .replacingOccurrences(of: "{id}", with: String(repeating: "a", count: 32))
                    .replacingOccurrences(of: "{token}", with: String(repeating: "b", count: 32))
                    .replacingOccurrences(of: "{slug}", with: "flag-test")
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let verb = line.trimmingCharacters(in: .whitespaces).dropLast()
                switch verb {
                case "post": routes.append((.post, path))
                case "put": routes.append((.put, path))
                case "patch": routes.append((.patch, path))
                case "delete": routes.append((.delete, path))
                default: break
                }
            }
        }
        return routes + [(.post, "/login"), (.post, "/register"), (.post, "/logout")]
    }

    static func openAPIFile() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Web/Resources/openapi.yaml")
    }

    @Test func everyStateChangingRouteRefusesCrossSiteOrigins() async throws {
        let routes = try Self.stateChangingRoutes()
        #expect(routes.count >= 10, "found only \(routes.count) state-changing routes in openapi.yaml")
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(
                uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(started.tokenCookie)
            for (method, path) in routes {
                for origin in ["http://evil.example", "null", "https://localhost.evil.example"] {
                    var h = headers(cookie: cookie)
                    h[.origin] = origin
                    let r = try await client.execute(uri: path, method: method, headers: h, body: jsonBody(["scenario": "flag-test"]))
                    #expect(r.status == .forbidden, "\(method) \(path) from \(origin): \(r.status)")
                }
            }
            // Nothing happened: the session is still the only one and still queued.
            let still = try await client.execute(uri: "/api/sessions/\(started.json["id"] as! String)", method: .get, headers: headers(cookie: cookie))
            #expect(still.json["state"] as? String == "queued")
        }
        await h.close()
    }

    @Test func sameOriginRule() {
        func request(origin: String?, authority: String?) -> Request {
            var head = HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/api/sessions/x/terminal")
            if let origin { head.headerFields[.origin] = origin }
            return Request(head: head, body: .init(buffer: ByteBuffer()))
        }
        typealias M = SecurityMiddleware<AppRequestContext>
        #expect(M.sameOrigin(request(origin: nil, authority: "breakfix.example")))
        #expect(M.sameOrigin(request(origin: "https://breakfix.example", authority: "breakfix.example")))
        #expect(M.sameOrigin(request(origin: "http://127.0.0.1:8080", authority: "127.0.0.1:8080")))
        #expect(!M.sameOrigin(request(origin: "http://evil.example", authority: "breakfix.example")))
        #expect(!M.sameOrigin(request(origin: "http://breakfix.example.evil.example", authority: "breakfix.example")))
        #expect(!M.sameOrigin(request(origin: "http://127.0.0.1:9999", authority: "127.0.0.1:8080")))
        #expect(!M.sameOrigin(request(origin: "null", authority: "breakfix.example")))
        #expect(!M.sameOrigin(request(origin: "http://evil.example", authority: nil)))
    }

    @Test func idsAndTokensCarry128RandomBits() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            var ids = Set<String>(), tokens = Set<String>()
            for _ in 0..<20 {
                let r = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
                let id = try #require(r.json["id"] as? String)
                let token = try #require(r.tokenCookie).replacingOccurrences(of: "bf_token=", with: "")
                #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "session id \(id)")
                #expect(token.count >= 32 && token.allSatisfy(\.isHexDigit), "token \(token)")
                ids.insert(id)
                tokens.insert(token)
            }
            #expect(ids.count == 20 && tokens.count == 20)
            // Every hex digit position varies: no fixed prefix, no counter.
            let positions = (0..<32).filter { i in Set(ids.map { Array($0)[i] }).count > 1 }
            #expect(positions.count >= 30, "only \(positions.count) of 32 positions vary")
        }
        await h.close()
    }

    @Test func passwordsAreNeverReturnedOrStored() async throws {
        let h = try await WebHarness.make()
        let password = "correct horse battery \(UUID().uuidString.prefix(6))"
        let name = "pw_\(UUID().uuidString.prefix(6).lowercased())"
        try await h.test { client in
            let created = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name, "password": password]))
            #expect(created.status == .created)
            #expect(!created.text.contains(password) && !created.text.contains("password"))
            let login = try await client.execute(uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": name, "password": password]))
            #expect(login.status == .ok && !login.text.contains(password))
            let cookie = try #require(login.tokenCookie)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(cookie: cookie))
            #expect(!me.text.contains(password) && !me.text.lowercased().contains("hash"))
            let profile = try await client.execute(uri: "/profile", method: .get, headers: headers(cookie: cookie, json: false))
            #expect(!profile.text.contains(password) && !profile.text.contains("$2"))
            let wrong = try await client.execute(uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": name, "password": password + "x"]))
            #expect(wrong.status == .unauthorized && !wrong.text.contains(password))
        }
        let stored = try #require(try await FluentUserStore(database: h.database).user(username: name)?.passwordHash)
        #expect(stored.hasPrefix("$2") && !stored.contains(password), "stored as a bcrypt hash")
        await h.close()
    }

    @Test func noSourceLogsAPassword() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20)
        for file in files {
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").enumerated()
            where line.contains("logger.") || line.contains("print(") || line.contains("emit(") {
                #expect(!line.lowercased().contains("password"), "\(file.lastPathComponent):\(number + 1) logs a password: \(line)")
            }
        }
    }

    @Test func cookieFlags() async throws {
        for secure in [false, true] {
            let h = try await WebHarness.make(configure: { $0.secureCookies = secure })
            try await h.test { client in
                let r = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
                let setCookie = try #require(r.headers[values: .setCookie].first { $0.hasPrefix("bf_token=") })
                let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                #expect(attributes.contains("httponly"), "\(setCookie)")
                #expect(attributes.contains("samesite=lax"), "\(setCookie)")
                #expect(attributes.contains("path=/"), "\(setCookie)")
                #expect(attributes.contains("secure") == secure, "\(setCookie)")
            }
            await h.close()
        }
    }

    /// Behind a TLS proxy: `X-Forwarded-Proto: https` makes cookies `Secure`, but only from a
    /// trusted proxy address; from anyone else the header changes nothing. Over a real socket, so
    /// the peer address is real (127.0.0.1).
    @Test func secureCookiesBehindATrustedProxyOnly() async throws {
        for (trusted, expectSecure) in [(["127.0.0.1"], true), (["10.9.9.9"], false)] {
            let h = try await WebHarness.make(configure: { $0.trustedProxies = Set(trusted) })
            let app = Application(router: h.router)
            try await app.test(.live) { client in
                var forwarded = headers()
                forwarded[HTTPField.Name("X-Forwarded-Proto")!] = "https"
                let r = try await client.execute(uri: "/api/sessions", method: .post, headers: forwarded, body: jsonBody(["scenario": "flag-test"]))
                let setCookie = try #require(r.headers[values: .setCookie].first { $0.hasPrefix("bf_token=") })
                let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                #expect(attributes.contains("secure") == expectSecure, "trusted \(trusted): \(setCookie)")
                #expect(attributes.contains("httponly"))
                // Plain HTTP from the same trusted address: not Secure.
                let plain = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
                let plainCookie = try #require(plain.headers[values: .setCookie].first { $0.hasPrefix("bf_token=") })
                #expect(!plainCookie.lowercased().contains("secure"), "\(plainCookie)")
            }
            await h.close()
        }
    }

    /// The per-client login limit counts the client, not the proxy: behind a trusted proxy two
    /// users are two clients (`X-Forwarded-For`); from anyone else the header is ignored, so a
    /// client cannot dodge the limit by writing it. Over a real socket (the peer is 127.0.0.1).
    @Test func loginLimitPerClientBehindATrustedProxy() async throws {
        for (trusted, secondClientLimited) in [(["127.0.0.1"], false), (["10.9.9.9"], true)] {
            let h = try await WebHarness.make(configure: { $0.trustedProxies = Set(trusted) })
            let app = Application(router: h.router)
            try await app.test(.live) { client in
                func login(as user: String, from address: String) async throws -> HTTPResponse.Status {
                    var forwarded = headers()
                    // What a proxy appends to whatever the client sent.
                    forwarded[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7, \(address)"
                    return try await client.execute(
                        uri: "/api/login", method: .post, headers: forwarded,
                        body: jsonBody(["username": user, "password": "wrong password"])).status
                }
                // Five wrong passwords from one client (a new username each: the per-username
                // limit stays out of it), then the sixth is refused.
                for n in 0..<5 { #expect(try await login(as: "nobody\(n)", from: "203.0.113.1") == .unauthorized) }
                #expect(try await login(as: "nobody5", from: "203.0.113.1") == .tooManyRequests)
                let other = try await login(as: "nobody6", from: "203.0.113.2")
                #expect(other == (secondClientLimited ? .tooManyRequests : .unauthorized), "trusted \(trusted): \(other)")
            }
            await h.close()
        }
    }

    @Test func securityHeadersOnEveryKindOfResponse() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let requests: [(HTTPRequest.Method, String)] = [
                (.get, "/"), (.get, "/api/scenarios"), (.get, "/api/sessions/\(String(repeating: "0", count: 32))"),
                (.get, "/nope"), (.get, "/healthz"), (.get, "/api/openapi.yaml"), (.post, "/api/sessions"),
            ]
            for (method, path) in requests {
                let r = try await client.execute(uri: path, method: method, headers: headers(), body: ByteBuffer(string: "{"))
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "\(path): \(csp)")
                #expect(!csp.contains("script-src 'self' 'unsafe-inline'"), "\(path): inline scripts allowed")
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
            }
        }
        await h.close()
    }

    @Test func hostileUsernamesAreRefusedOrInert() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            for name in ["<script>alert(1)</script>", "a\"onmouseover=\"x", "admin'--", "../../etc", "ＡＤＭＩＮ", "a b", String(repeating: "a", count: 33)] {
                let r = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "password123"]))
                #expect(r.status == .badRequest, "\(name): \(r.status)")
                #expect(!r.text.contains("<script>"), "the error echoes markup: \(r.text)")
            }
            // The form path too: an HTML error page must not carry the markup back.
            var form = headers(json: false)
            form[.contentType] = "application/x-www-form-urlencoded"
            let page = try await client.execute(
                uri: "/register", method: .post, headers: form,
                body: ByteBuffer(string: "username=%3Cscript%3Ealert(1)%3C%2Fscript%3E&password=password123"))
            #expect(!page.text.contains("<script>alert(1)"), "register form echoes markup")
        }
        await h.close()
    }

    @Test func loginLockoutEndsAfterItsWindow() async throws {
        let limiter = RateLimiter(limit: 5, window: 60)
        let t0 = Date()
        for i in 0..<5 { #expect(await limiter.allow("u:victim", now: t0.addingTimeInterval(Double(i)))) }
        #expect(!(await limiter.allow("u:victim", now: t0.addingTimeInterval(10))))
        #expect(!(await limiter.allow("u:victim", now: t0.addingTimeInterval(59))))
        // The real user gets back in once the window has passed: no permanent lockout.
        #expect(await limiter.allow("u:victim", now: t0.addingTimeInterval(66)))
        #expect(await limiter.allow("u:someone-else", now: t0.addingTimeInterval(10)))
    }

    /// The reaper destroys a sandbox past its session's expiry, and also one that no database row
    /// knows (the server was down, or the database was lost) once its `breakfix.expires` label has passed.
    @Test func expiredSandboxesAreDestroyedEvenAfterDowntime() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(started.tokenCookie)
            let id = try #require(started.json["id"] as? String)
            #expect(try await h.sessions.provisionNext(worker: "test"))
            #expect(h.runtime.live == 1)
            // A restart long after the deadline: reconcile keeps the running sandbox, the next reap ends it.
            try await h.sessions.reconcile()
            try await h.sessions.reap(now: Date().addingTimeInterval(11 * 60))
            #expect(h.runtime.live == 0, "the expired session's sandbox is gone")
            let ended = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(["expired", "destroyed"].contains(ended.json["state"] as? String ?? ""))
        }
        // A labelled sandbox that no session row knows, with an expiry label in the past.
        let stray = try await h.runtime.create(SandboxSpec(
            image: "x", labels: [SandboxLabel.managed: "true", SandboxLabel.session: "f" + String(repeating: "0", count: 31),
                                 SandboxLabel.expires: String(Int(Date().timeIntervalSince1970) - 1)]))
        #expect(h.runtime.live == 1)
        try await h.sessions.reap()
        #expect(h.runtime.live == 0 && h.runtime.destroyed.contains(stray.rawValue))
        await h.close()
    }

    /// Found by the abuse suite: a session ended while its sandbox was being prepared came back as
    /// `ready` with a live sandbox (the progress write restored the claimed copy), so one user could
    /// hold more sandboxes than the quota.
    @Test func endingWhileProvisioningLeavesNoSandbox() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(started.tokenCookie)
            let id = try #require(started.json["id"] as? String)
            let sessions = h.sessions
            h.runtime.onStart = {
                guard let record = try? await sessions.store.session(id: id) else { return }
                _ = try? await sessions.end(id, userID: record.userID)
            }
            #expect(try await h.sessions.provisionNext(worker: "test"))
            h.runtime.onStart = nil
            let after = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(["abandoned", "destroyed"].contains(after.json["state"] as? String ?? ""), "state \(after.json["state"] ?? "nil")")
            #expect(h.runtime.live == 0, "the ended session's sandbox is gone")
            let again = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(cookie: cookie), body: jsonBody(["scenario": "flag-test"]))
            #expect(again.status == .accepted, "the quota is free again")
        }
        await h.close()
    }

    /// Dropping the cookie gives a fresh identity and a fresh per-user quota; the server-wide cap
    /// still holds: 503 with a sentence, and a start works again once a session ends.
    @Test func serverWideCapHoldsAgainstFreshIdentities() async throws {
        let h = try await WebHarness.make(policy: SessionPolicy(maxLiveSessionsTotal: 2))
        try await h.test { client in
            var cookies: [String] = [], ids: [String] = []
            for _ in 0..<2 {
                let r = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
                #expect(r.status == .accepted)
                cookies.append(try #require(r.tokenCookie))
                ids.append(try #require(r.json["id"] as? String))
            }
            let third = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(third.status == .serviceUnavailable)
            #expect((third.json["error"] as? String)?.contains("all 2 sandboxes of this server are in use") == true, "\(third.text)")
            _ = try await client.execute(uri: "/api/sessions/\(ids[0])", method: .delete, headers: headers(cookie: cookies[0]))
            let fourth = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(fourth.status == .accepted)
        }
        await h.close()
    }

    /// 1,200 malformed JSON bodies to every JSON endpoint: each answer is a 4xx with an
    /// `{"error": "<sentence>"}` body, never a 5xx, and the server keeps answering.
    @Test func malformedJSONBodiesGetSentences() async throws {
        let h = try await WebHarness.make(policy: SessionPolicy(maxLiveSessionsPerUser: 1, startsPerMinute: 100_000))
        let endpoints = ["/api/sessions", "/api/users", "/api/login", "/api/interviews"]
        try await h.test { client in
            var rng = SeededJSON(seed: 0x5EC0_0F17)
            for index in 0..<1200 {
                let body = rng.malformedBody()
                let path = endpoints[index % endpoints.count]
                let r = try await client.execute(uri: path, method: .post, headers: headers(), body: ByteBuffer(bytes: body))
                let status = r.status.code
                let shown = String(decoding: body.prefix(120), as: UTF8.self)
                #expect((400..<500).contains(status) || status == 202 || status == 201 || status == 200, "#\(index) \(path) \(shown): \(status)")
                if (400..<500).contains(status) {
                    let error = r.json["error"] as? String ?? ""
                    #expect(error.count >= 8 && error.count < 600, "#\(index) \(path) \(shown): \(r.text.prefix(200))")
                    #expect(!error.contains("Optional(") && !error.contains("DecodingError") && !error.contains("Swift."),
                        "#\(index): internals in \(error)")
                }
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        await h.close()
    }
}

/// Malformed JSON bodies from a seeded generator.
struct SeededJSON {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    static let values: [String] = [
        "null", "true", "1", "-1", "1e999", "0.5", "\"\"", "\"flag-test\"", "\"nope\"", "[]", "{}", "[1,2]", "\"\\u0000\"",
        "\"\\ud800\"", "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"", "\"a\"", "\"\(String(repeating: "x", count: 5000))\"",
        "{\"$gt\":\"\"}", "\"' OR 1=1 --\"", "99999999999999999999999", "\"🐧\"", "\"password123\"", "\"ok_user\"",
    ]
    static let keys = ["scenario", "username", "password", "title", "scenario_slug", "invites", "", "__proto__", "Scenario"]

    mutating func malformedBody() -> [UInt8] {
        switch below(6) {
        case 0:  // random bytes
            return (0..<below(200)).map { _ in UInt8(truncatingIfNeeded: next()) }
        case 1:  // valid JSON of the wrong shape
            return Array(Self.values[below(Self.values.count)].utf8)
        case 2:  // an object with random keys and values of random types
            let pairs = (0..<below(5)).map { _ in "\"\(Self.keys[below(Self.keys.count)])\": \(Self.values[below(Self.values.count)])" }
            return Array("{\(pairs.joined(separator: ","))}".utf8)
        case 3:  // a truncated object
            let text = "{\"scenario\": \"flag-test\", \"username\": \"user_x\", \"password\": \"password123\"}"
            return Array(text.utf8.prefix(below(text.utf8.count)))
        case 4:  // deep nesting
            let depth = 1 + below(2000)
            return Array((String(repeating: "[", count: depth) + String(repeating: "]", count: below(depth + 1))).utf8)
        default:  // duplicate and odd keys, odd whitespace
            return Array("{\"scenario\":1,\"scenario\":\"flag-test\",\t\"password\":null , \"username\":[\"a\"]}".utf8)
        }
    }
}
