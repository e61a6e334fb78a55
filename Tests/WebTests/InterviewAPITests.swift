import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import Testing

@testable import Web

/// Interview mode through the real router and database: an interviewer's account, the
/// candidate's invite, observers with and without the key, recordings, notes, the report.
@Suite struct InterviewAPITests {
    static func register(_ client: any TestClientProtocol, _ name: String) async throws -> String {
        let response = try await client.execute(
            uri: "/api/users", method: .post, headers: headers(), body: jsonBody(["username": name, "password": "correct horse battery"]))
        #expect(response.status == .created)
        return try #require(response.tokenCookie)
    }

    static func createInterview(
        _ client: any TestClientProtocol, cookie: String, scenarios: [String] = ["flag-test", "flag-test"], clues: Bool = false
    ) async throws -> (id: String, invite: String, key: String) {
        let created = try await client.execute(
            uri: "/api/interviews", method: .post, headers: headers(cookie: cookie),
            body: jsonBody(["scenarios": scenarios, "time_limit_seconds": 600, "clues_allowed": clues, "note": "backend role"]))
        #expect(created.status == .created)
        let id = try #require(created.json["id"] as? String)
        let invite = try #require(created.json["invite_url"] as? String)
        let observer = try #require(created.json["observer_url"] as? String)
        let token = String(try #require(invite.split(separator: "/").last))
        #expect(invite.hasSuffix("/i/\(token)") && token.count == 32, "the invite URL ends in a 128-bit token")
        let key = String(try #require(observer.split(separator: "=").last))
        #expect(key.count == 32 && key != token)
        return (id, token, key)
    }

    @Test func theWholeInterviewAndItsRefusals() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let anonymous = try await client.execute(
                uri: "/api/interviews", method: .post, headers: headers(),
                body: jsonBody(["scenarios": ["flag-test"], "time_limit_seconds": 600]))
            #expect(anonymous.status == .unauthorized, "only an account creates interviews")
            let interviewer = try await Self.register(client, "alice")
            let bad = try await client.execute(
                uri: "/api/interviews", method: .post, headers: headers(cookie: interviewer),
                body: jsonBody(["scenarios": ["nope"], "time_limit_seconds": 600]))
            #expect(bad.status == .badRequest)
            #expect((bad.json["error"] as? String)?.contains("no scenario") == true)

            let (id, token, key) = try await Self.createInterview(client, cookie: interviewer)

            // Who may watch: the owner and the key's holders; anyone else gets 404.
            #expect(try await client.execute(uri: "/api/interviews/\(id)", method: .get).status == .notFound)
            let wrongKey = String(repeating: "a", count: 32)
            #expect(try await client.execute(uri: "/api/interviews/\(id)?key=\(wrongKey)", method: .get).status == .notFound)
            let asObserver = try await client.execute(uri: "/api/interviews/\(id)?key=\(key)", method: .get)
            #expect(asObserver.status == .ok)
            #expect(asObserver.json["candidate_started"] as? Bool == false)
            #expect(asObserver.json["invite_url"] == nil, "observers do not get the candidate's link")
            let asOwner = try await client.execute(uri: "/api/interviews/\(id)", method: .get, headers: headers(cookie: interviewer))
            #expect(asOwner.json["invite_url"] is String)
            let briefing = try await client.execute(uri: "/i/\(token)", method: .get)
            #expect(briefing.status == .ok && briefing.text.contains("recorded"))

            // The candidate starts without an account; the link then belongs to them.
            let started = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers())
            #expect(started.status == .accepted)
            let first = try #require(started.json["id"] as? String)
            let candidate = try #require(started.tokenCookie)
            let stolen = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers())
            #expect(stolen.status == .gone, "a used invite link is refused for anyone else")
            #expect((stolen.json["error"] as? String)?.contains("already been used") == true)
            let again = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers(cookie: candidate))
            #expect(again.status == .conflict, "one scenario at a time")
            #expect(again.json["session"] as? String == first)

            #expect(try await h.sessions.provisionNext(worker: "test"))
            let ready = try await client.execute(uri: "/api/sessions/\(first)", method: .get, headers: headers(cookie: candidate))
            #expect(ready.json["state"] as? String == "ready")
            #expect((ready.json["time_limit_seconds"] as? Int ?? 9999) <= 600, "the interview's clock, not the scenario's")
            #expect(ready.json["clues_allowed"] as? Bool == false)
            let clue = try await client.execute(uri: "/api/sessions/\(first)/clues", method: .post, headers: headers(cookie: candidate))
            #expect(clue.status == .forbidden)
            // Observers watch; they do not act through the session endpoints.
            #expect(try await client.execute(uri: "/api/sessions/\(first)/check?key=\(key)", method: .post, headers: headers()).status == .notFound)

            // The candidate types; an observer attached read-only types too, and is dropped.
            let hub = h.sessions.terminals
            let candidateID = try #require(try await h.userID(cookie: candidate))
            let record = try await h.sessions.session(first, userID: candidateID)
            let request = try #require(h.sessions.terminalRequest(for: record))
            let sandbox = SandboxID(try #require(try await h.sessions.store.session(id: first)?.sandboxID))
            let mine = try await hub.attach(sessionID: first, sandbox: sandbox, request: request)
            let watcher = try await hub.attach(sessionID: first, sandbox: sandbox, request: request, readOnly: true)
            await hub.write(sessionID: first, clientID: mine.clientID, Array("echo marker-4711\r".utf8))
            await hub.write(sessionID: first, clientID: watcher.clientID, Array("rm -rf /observer\r".utf8))
            await hub.resize(sessionID: first, clientID: mine.clientID, cols: 100, rows: 30)
            var seen = ""
            for await chunk in mine.output {
                seen += String(decoding: chunk, as: UTF8.self)
                if seen.contains("[100x30]") { break }
            }
            #expect(seen.contains("marker-4711"))
            #expect(!seen.contains("observer"), "an observer's keystrokes never reach the shell")

            let no = try await client.execute(uri: "/api/sessions/\(first)/check", method: .post, headers: headers(cookie: candidate))
            #expect(no.json["verdict"] as? String == "NO")

            // Notes: the key's holder may write; nobody else.
            let note = try await client.execute(
                uri: "/api/interviews/\(id)/notes?key=\(key)", method: .post, headers: headers(),
                body: jsonBody(["text": "checks logs first <script>", "session_id": first]))
            #expect(note.status == .created)
            #expect(note.json["author"] as? String == "observer")
            #expect(
                try await client.execute(
                    uri: "/api/interviews/\(id)/notes", method: .post, headers: headers(), body: jsonBody(["text": "x"])
                ).status == .notFound)
            #expect(
                try await client.execute(
                    uri: "/api/interviews/\(id)/notes?key=\(key)", method: .post, headers: headers(), body: jsonBody(["text": "  "])
                ).status == .badRequest)

            h.runtime.solved = true
            let ok = try await client.execute(uri: "/api/sessions/\(first)/check", method: .post, headers: headers(cookie: candidate))
            #expect(ok.json["verdict"] as? String == "OK")
            _ = try await client.execute(uri: "/api/sessions/\(first)", method: .delete, headers: headers(cookie: candidate))
            let results = try await client.execute(uri: "/sessions/\(first)/results", method: .get, headers: headers(cookie: candidate, json: false))
            #expect(results.text.contains("/i/\(token)"), "the results page leads back to the interview")
            #expect(!results.text.contains("touch /srv/flag"), "no solution notes for a candidate")

            // The recording: the candidate, the observers and the owner; nobody else.
            let cast = try await client.execute(uri: "/api/sessions/\(first)/recording", method: .get, headers: headers(cookie: candidate))
            #expect(cast.status == .ok)
            #expect(cast.headers[.contentType] == "application/x-asciicast")
            let lines = cast.text.split(separator: "\n")
            let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect(header["version"] as? Int == 2)
            let events = lines.dropFirst().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any] }
            #expect(events.count == lines.count - 1, "every event line is JSON")
            let codes = events.compactMap { $0[1] as? String }
            #expect(codes.contains("o") && codes.contains("i") && codes.contains("r"))
            #expect(events.contains { ($0[1] as? String) == "i" && ($0[2] as? String)?.contains("marker-4711") == true })
            #expect(!events.contains { ($0[2] as? String)?.contains("rm -rf /observer") == true })
            #expect(events.contains { ($0[1] as? String) == "m" && ($0[2] as? String) == "check 1: NO" })
            #expect(events.contains { ($0[1] as? String) == "m" && ($0[2] as? String) == "check 2: OK" })
            #expect(events.contains { ($0[1] as? String) == "r" && ($0[2] as? String) == "100x30" })
            #expect(try await client.execute(uri: "/api/sessions/\(first)/recording?key=\(key)", method: .get).status == .ok)
            #expect(
                try await client.execute(uri: "/api/sessions/\(first)/recording", method: .get, headers: headers(cookie: interviewer)).status == .ok)
            #expect(try await client.execute(uri: "/api/sessions/\(first)/recording", method: .get).status == .notFound)
            let stranger = try await Self.register(client, "mallory")
            #expect(
                try await client.execute(uri: "/api/sessions/\(first)/recording", method: .get, headers: headers(cookie: stranger)).status == .notFound)
            #expect(try await client.execute(uri: "/api/interviews/\(id)/report", method: .get, headers: headers(cookie: stranger)).status == .notFound)

            // The second scenario, then the interview is over.
            let next = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers(cookie: candidate))
            #expect(next.status == .accepted)
            let second = try #require(next.json["id"] as? String)
            #expect(second != first)
            _ = try await client.execute(uri: "/api/sessions/\(second)", method: .delete, headers: headers(cookie: candidate))
            let over = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers(cookie: candidate))
            #expect(over.status == .gone)

            // The report.
            let report = try await client.execute(uri: "/api/interviews/\(id)/report?key=\(key)", method: .get)
            #expect(report.status == .ok)
            #expect(report.json["id"] as? String == id)
            let sessions = try #require(report.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            #expect(sessions[0]["scenario"] as? String == "flag-test")
            #expect(sessions[0]["solved"] as? Bool == true)
            #expect(sessions[0]["solve_seconds"] is Int)
            #expect((sessions[0]["attempts"] as? [[String: Any]])?.compactMap { $0["verdict"] as? String } == ["NO", "OK"])
            #expect(sessions[0]["clues_used"] as? Int == 0)
            let commands = (sessions[0]["commands"] as? [[String: Any]])?.compactMap { $0["command"] as? String } ?? []
            #expect(commands == ["echo marker-4711"], "commands come from the candidate's input only")
            #expect(sessions[1]["solved"] as? Bool == false)
            #expect((report.json["notes"] as? [[String: Any]])?.first?["text"] as? String == "checks logs first <script>")

            let page = try await client.execute(uri: "/interviews/\(id)/report?key=\(key)", method: .get)
            #expect(page.status == .ok && page.text.contains("echo marker-4711"))
            #expect(page.text.contains("&lt;script&gt;") && !page.text.contains("first <script>"), "notes render inert")
            #expect(try await client.execute(uri: "/interviews/\(id)?key=\(key)", method: .get).text.contains("Live view"))
            #expect(try await client.execute(uri: "/interviews/\(id)", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/sessions/\(first)/replay?key=\(key)", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/sessions/\(first)/replay", method: .get).status == .notFound)
        }
        await h.close()
    }

    @Test func anExpiredOrUnknownInviteIsRefused() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let interviewer = try await Self.register(client, "bob")
            let ownerID = try #require(try await h.userID(cookie: interviewer))
            let old = InterviewRecord(
                ownerID: ownerID, scenarios: ["flag-test"], timeLimitSeconds: 600, cluesAllowed: true,
                inviteExpiresAt: Date().addingTimeInterval(-60))
            try await h.database.interviewStore.createInterview(old)
            let expired = try await client.execute(uri: "/api/invites/\(old.inviteToken)/start", method: .post, headers: headers())
            #expect(expired.status == .gone)
            #expect((expired.json["error"] as? String)?.contains("expired") == true)
            #expect(try await client.execute(uri: "/i/\(old.inviteToken)", method: .get).status == .gone)
            let unknown = try await client.execute(uri: "/api/invites/\(randomToken())/start", method: .post, headers: headers())
            #expect(unknown.status == .notFound)
            #expect(h.runtime.live == 0, "no sandbox for a refused invite")
        }
        await h.close()
    }

    @Test func purgingACandidateDeletesTheirDataAndKeepsTheInterview() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let interviewer = try await Self.register(client, "carol")
            let (id, token, key) = try await Self.createInterview(client, cookie: interviewer, scenarios: ["flag-test"], clues: true)
            let started = try await client.execute(uri: "/api/invites/\(token)/start", method: .post, headers: headers())
            let session = try #require(started.json["id"] as? String)
            let candidate = try #require(started.tokenCookie)
            #expect(try await h.sessions.provisionNext(worker: "test"))
            _ = try await client.execute(uri: "/api/sessions/\(session)/check", method: .post, headers: headers(cookie: candidate))
            _ = try await client.execute(uri: "/api/sessions/\(session)", method: .delete, headers: headers(cookie: candidate))
            let recording = h.sessions.terminals.recorder!.file(for: session)
            #expect(FileManager.default.fileExists(atPath: recording.path))

            let service = InterviewService(store: h.database.interviewStore, sessions: h.sessions)
            let interview = try #require(try await h.database.interviewStore.interview(id: id))
            let deleted = try await service.purge(userID: try #require(interview.candidateID))
            #expect(deleted == [session])
            #expect(!FileManager.default.fileExists(atPath: recording.path))
            #expect(try await h.sessions.store.session(id: session) == nil)
            #expect(try await h.sessions.store.attempts(sessionID: session).isEmpty)
            let me = try await client.execute(uri: "/api/me", method: .get, headers: headers(cookie: candidate))
            #expect(me.status == .unauthorized, "the candidate's identity is gone")
            let report = try await client.execute(uri: "/api/interviews/\(id)/report?key=\(key)", method: .get)
            #expect(report.status == .ok)
            #expect((report.json["sessions"] as? [Any])?.isEmpty == true)
        }
        await h.close()
    }
}

extension WebHarness {
    /// The user behind a `bf_token=…` cookie.
    func userID(cookie: String) async throws -> UUID? {
        let token = String(cookie.dropFirst("bf_token=".count))
        return try await FluentUserStore(database: database).user(token: token)?.id
    }
}
