import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Yams

/// Keeps `openapi.yaml` honest: every documented operation answers (not the router's "no such
/// route"), and every route the API controller registers is documented.
@Suite struct OpenAPITests {
    static func operations(_ text: String) throws -> [(method: String, path: String)] {
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, item in
            item.keys.filter { ["get", "post", "put", "delete", "patch"].contains($0) }.map { ($0.uppercased(), path) }
        }
    }

    @Test func everyDocumentedOperationExists() async throws {
        let (h, _) = try await ChallengeAPITests.harness()
        try await h.test { client in
            let served = try await client.execute(uri: "/api/openapi.yaml", method: .get)
            #expect(served.status == .ok)
            let started = try await client.execute(uri: "/api/sessions", method: .post, headers: headers(), body: jsonBody(["scenario": "flag-test"]))
            let cookie = try #require(started.tokenCookie)
            let id = try #require(started.json["id"] as? String)
            _ = try await h.sessions.provisionNext(worker: "test")
            let ops = try Self.operations(served.text)
            #expect(ops.count >= 14)
            for op in ops where !op.path.hasSuffix("/terminal") && !op.path.hasSuffix("/events") {
                let uri = op.path.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{slug}", with: "flag-test")
                let r = try await client.execute(
                    uri: uri, method: HTTPRequest.Method(op.method)!, headers: headers(cookie: cookie),
                    body: op.method == "POST" ? jsonBody(["scenario": "flag-test", "username": "docs_user", "password": "password123"]) : nil)
                // The router's own 404 (no such route) has no JSON error; every handler's has.
                #expect(!(r.status == .notFound && r.json["error"] == nil), "\(op.method) \(op.path) is documented but not routed")
            }
        }
        await h.close()
    }

    @Test func everyRouteIsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = try String(contentsOf: root.appendingPathComponent("Sources/Web/Resources/openapi.yaml"), encoding: .utf8)
        let documented = Set(try Self.operations(spec).map { "\($0.method) \($0.path)" })
        let source = try ["APIController.swift", "InterviewController.swift", "ChallengeController.swift", "ContestController.swift"].map {
            try String(contentsOf: root.appendingPathComponent("Sources/Web/Controllers/\($0)"), encoding: .utf8)
        }.joined(separator: "\n")
        let regex = try NSRegularExpression(pattern: #"(?:group|api)\.(get|post|delete|put|patch)\("([^"]+)""#)
        let routes = regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { match -> String in
            let method = (source as NSString).substring(with: match.range(at: 1)).uppercased()
            let path = (source as NSString).substring(with: match.range(at: 2))
                .split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(method) /api/\(path)"
        }
        #expect(routes.count >= 19)
        for route in routes { #expect(documented.contains(route), "\(route) is routed but missing from openapi.yaml") }
        #expect(documented.contains("GET /api/sessions/{id}/terminal"))
        #expect(routes.contains("POST /api/invites/{token}/start"), "the interview routes are scanned too")
        #expect(routes.contains("POST /api/challenges/{slug}/submissions") && routes.contains("GET /api/contests/{id}/scoreboard"))
    }
}
