import BreakfixCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

@Suite struct APITests {
    @Test func catalogAndHealth() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let list = try await client.execute(uri: "/api/scenarios", method: .get)
            #expect(list.status == .ok)
            let rows = try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]] ?? []
            #expect(rows.first?["slug"] as? String == "flag-test")
            #expect(rows.first?["time_limit_seconds"] as? Int == 600)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("breakfix_sessions{state=\"ready\"}"))
            #expect(metrics.text.contains("breakfix_active_terminals"))
        }
        await h.close()
    }

    @Test func accountsRegisterLoginLogout() async throws {
        let h = try await WebHarness.make()
        let name = "user_\(UUID().uuidString.prefix(8).lowercased())"
        try await h.test { client in
            let bad = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": "X", "password": "short"]))
            #expect(bad.status == .badRequest)
            #expect((bad.json["error"] as? String)?.contains("username") == true)
            let created = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "correct horse"]))
            #expect(created.status == .created)
            #expect(!created.text.contains("correct horse"))
            let cookie = try #require(created.tokenCookie)
            let setCookie = created.headers[values: .setCookie].joined()
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let dup = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name.uppercased().lowercased(), "password": "another one"]))
            #expect(dup.status == .conflict)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(cookie: cookie))
            #expect(me.json["username"] as? String == name)
            let wrong = try await client.execute(uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "wrong password"]))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.json["error"] as? String == "Wrong username or password.")
            let ok = try await client.execute(uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "correct horse"]))
            #expect(ok.status == .ok)
            let token = try #require(ok.json["token"] as? String)
            #expect(token.count == 32)
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(token)"
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: bearer).status == .ok)
            #expect(try await client.execute(uri: "/api/logout", method: .post, headers: bearer).status == .noContent)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: bearer).status == .unauthorized)
        }
        await h.close()
    }

    @Test func loginBruteForceIsSlowedDown() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<7 {
                let r = try await client.execute(uri: "/api/login", method: .post, headers: headers(), body: jsonBody(["username": "victim", "password": "guess guess"]))
                statuses.append(r.status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
        }
        await h.close()
    }

    @Test func aWholeSessionThroughTheAPI() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(started.status == .accepted)
            #expect(started.json["state"] as? String == "queued")
            let id = try #require(started.json["id"] as? String)
            #expect(id.count == 32)
            let cookie = try #require(started.tokenCookie)

            let second = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(cookie: cookie), body: jsonBody(["scenario": "flag-test"]))
            #expect(second.status == .conflict)
            #expect(second.json["session"] as? String == id)

            let notReady = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            #expect(notReady.status == .conflict)

            #expect(try await h.sessions.provisionNext(worker: "test"))
            let ready = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(ready.json["state"] as? String == "ready")
            #expect(ready.json["expires_at"] is String)

            let no = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            #expect(no.json["verdict"] as? String == "NO")
            #expect(no.json["message"] as? String == "<b>the flag</b> is missing")
            #expect(no.json["attempt"] as? Int == 1)

            let clue1 = try await client.execute(uri: "/api/sessions/\(id)/clues", method: .post, headers: headers(cookie: cookie))
            #expect(clue1.json["index"] as? Int == 0)
            #expect(clue1.json["text"] as? String == "first clue")
            _ = try await client.execute(uri: "/api/sessions/\(id)/clues", method: .post, headers: headers(cookie: cookie))
            let noMore = try await client.execute(uri: "/api/sessions/\(id)/clues", method: .post, headers: headers(cookie: cookie))
            #expect(noMore.status == .conflict)

            h.runtime.solved = true
            let ok = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            #expect(ok.json["verdict"] as? String == "OK")
            #expect(ok.json["solved"] as? Bool == true)
            #expect(ok.json["attempt"] as? Int == 2)
            let solved = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(solved.json["state"] as? String == "solved")
            #expect(solved.json["solve_seconds"] is Int)
            #expect((solved.json["clues_revealed"] as? [Any])?.count == 2)

            let results = try await client.execute(uri: "/sessions/\(id)/results", method: .get, headers: headers(cookie: cookie, json: false))
            #expect(results.text.contains("Solved in"))
            #expect(!results.text.contains("touch /srv/flag"), "solution notes must wait for the end")

            let ended = try await client.execute(uri: "/api/sessions/\(id)", method: .delete, headers: headers(cookie: cookie))
            #expect(ended.status == .ok)
            #expect(h.runtime.live == 0)
            let after = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            #expect(after.status == .conflict)
            let finalResults = try await client.execute(uri: "/sessions/\(id)/results", method: .get, headers: headers(cookie: cookie, json: false))
            #expect(finalResults.text.contains("touch /srv/flag"))
            #expect(finalResults.text.contains("&lt;b&gt;the flag&lt;/b&gt;"), "check output is escaped")
        }
        await h.close()
    }

    @Test func anotherUsersSessionIsNotFoundEverywhere() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let id = try #require(started.json["id"] as? String)
            _ = try await h.sessions.provisionNext(worker: "test")
            let intruder = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": "intruder_\(UUID().uuidString.prefix(6).lowercased())", "password": "password123"]))
            let cookie = try #require(intruder.tokenCookie)
            for (method, path) in [(HTTPRequest.Method.get, ""), (.post, "/check"), (.post, "/clues"), (.delete, ""), (.get, "/events")] {
                let r = try await client.execute(uri: "/api/sessions/\(id)\(path)", method: method, headers: headers(cookie: cookie))
                #expect(r.status == .notFound, "\(method) \(path)")
                #expect(r.json["error"] as? String == "No such session.")
            }
            for path in ["/sessions/\(id)", "/sessions/\(id)/results"] {
                #expect(try await client.execute(uri: path, method: .get, headers: headers(cookie: cookie, json: false)).status == .notFound)
            }
            // Without any identity at all, too.
            #expect(try await client.execute(uri: "/api/sessions/\(id)", method: .get).status == .notFound)
        }
        await h.close()
    }

    @Test func badRequestsGetSentences() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let garbage = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: ByteBuffer(string: "{not json"))
            #expect(garbage.status == .badRequest)
            #expect((garbage.json["error"] as? String)?.hasPrefix("The request body is not the JSON") == true)
            let missing = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody([:]))
            #expect(missing.status == .badRequest)
            #expect((missing.json["error"] as? String)?.contains("missing \"scenario\"") == true)
            let unknown = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "nope"]))
            #expect(unknown.status == .notFound)
            #expect(unknown.json["error"] as? String == "There is no scenario \"nope\".")
            let huge = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: ByteBuffer(string: String(repeating: "x", count: 200_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.json["error"] as? String == "The request body is larger than 64 KiB.")
            var crossSite = headers()
            crossSite[.origin] = "http://evil.example"
            let csrf = try await client.execute(uri: "/api/sessions", method: .post, headers: crossSite, body: jsonBody(["scenario": "flag-test"]))
            #expect(csrf.status == .forbidden)
        }
        await h.close()
    }

    @Test func aDeadEngineIs503AndLosesNothing() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            h.runtime.down = true
            let refused = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(refused.status == .serviceUnavailable)
            #expect((refused.json["error"] as? String)?.hasPrefix("Sandboxes are unavailable right now: Docker is not answering") == true)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            #expect(h.runtime.live == 0, "nothing was created")
            h.runtime.down = false
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            #expect(started.status == .accepted)
        }
        await h.close()
    }

    @Test func rateLimitOnStarts() async throws {
        let h = try await WebHarness.make(policy: SessionPolicy(maxLiveSessionsPerUser: 100, startsPerMinute: 3))
        try await h.test { client in
            let first = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(first.tokenCookie)
            var statuses = [first.status]
            for _ in 0..<4 {
                statuses.append(try await client.execute(uri: "/api/sessions", method: .post, headers: headers(cookie: cookie), body: jsonBody(["scenario": "flag-test"])).status)
            }
            #expect(statuses == [.accepted, .accepted, .accepted, .tooManyRequests, .tooManyRequests])
        }
        await h.close()
    }

    @Test func pagesRenderAndEscape() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            for path in ["/", "/scenarios/flag-test", "/leaderboard", "/leaderboard/flag-test", "/login", "/register"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .ok, "\(path)")
                #expect(r.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
            }
            let page = try await client.execute(uri: "/scenarios/flag-test", method: .get)
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(page.text.contains("<strong>flag</strong>"))
            #expect(page.text.contains("<code>/srv/flag</code>"))
            #expect(try await client.execute(uri: "/scenarios/nope", method: .get).status == .notFound)
            for path in ["/static/../Package.swift", "/static/%2e%2e/templates/header.mustache", "/vendor/../Package.swift"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect([.badRequest, .notFound].contains(r.status), "\(path): \(r.status)")
                #expect(!r.text.contains("swift-tools-version") && !r.text.contains("<!doctype"), "\(path) leaked a file")
            }
        }
        await h.close()
    }

    @Test func leaderboardRanksRegisteredSolvers() async throws {
        let h = try await WebHarness.make()
        let name = "solver_\(UUID().uuidString.prefix(6).lowercased())"
        try await h.test { client in
            let user = try await client.execute(uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "password123"]))
            let cookie = try #require(user.tokenCookie)
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(cookie: cookie), body: jsonBody(["scenario": "flag-test"]))
            let id = try #require(started.json["id"] as? String)
            _ = try await h.sessions.provisionNext(worker: "test")
            h.runtime.solved = true
            _ = try await client.execute(uri: "/api/sessions/\(id)/check", method: .post, headers: headers(cookie: cookie))
            let board = try await client.execute(uri: "/api/leaderboard/flag-test", method: .get)
            let rows = try JSONSerialization.jsonObject(with: Data(buffer: board.body)) as? [[String: Any]] ?? []
            #expect(rows.contains { $0["username"] as? String == name && $0["clues"] as? Int == 0 })
            let overall = try await client.execute(uri: "/api/leaderboard", method: .get)
            #expect(overall.text.contains(name))
            let html = try await client.execute(uri: "/leaderboard/flag-test", method: .get, headers: headers(cookie: cookie, json: false))
            #expect(html.text.contains(name))
        }
        await h.close()
    }

    @Test func anonymousHistoryMovesToTheNewAccount() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(started.tokenCookie)
            let id = try #require(started.json["id"] as? String)
            let name = "late_\(UUID().uuidString.prefix(6).lowercased())"
            let registered = try await client.execute(uri: "/api/users", method: .post, headers: headers(cookie: cookie), body: jsonBody(["username": name, "password": "password123"]))
            #expect(registered.status == .created)
            let same = try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: headers(cookie: cookie))
            #expect(same.status == .ok)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(cookie: cookie))
            #expect(me.json["username"] as? String == name)
        }
        await h.close()
    }
}
