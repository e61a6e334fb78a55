import ArgumentParser
import AsyncHTTPClient
import BreakfixCore
import Foundation
import NIOCore
import NIOHTTP1

/// `breakfix submit SLUG FILE`: sends a program to a server and prints each test's verdict as the
/// judge reports it (the same server-sent events the page uses).
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a program to a code challenge and print the verdicts as they come.",
        discussion: "Exits 0 on AC, 1 on any other verdict, 2 when the submission was refused. BREAKFIX_TOKEN (a login token) submits as that user; without it the server makes an anonymous player.")

    @Argument(help: "The challenge's slug.") var slug: String
    @Argument(help: "The program's file.") var file: String
    @Option(name: .long, help: "The language id (default: from the file's extension, as GET /api/languages lists).") var language: String?
    @Option(name: .long, help: "The server (default: $BREAKFIX_SERVER or http://127.0.0.1:8080).") var server: String?
    @Option(name: .long, help: "Count it for this contest.") var contest: String?

    struct Language: Decodable {
        var id: String
        var source_file: String
    }

    struct Submitted: Decodable { var id: String }

    struct Submission: Decodable {
        struct Test: Decodable {
            var n: Int
            var verdict: String
            var cpu_ms, wall_ms, memory_kb: Int
            var detail: String?
        }
        var state: String
        var verdict: String?
        var failed_test: Int?
        var compile_output: String?
        var tests: [Test]
        var test_count: Int
    }

    func run() async throws {
        let base = (server ?? ProcessInfo.processInfo.environment["BREAKFIX_SERVER"] ?? "http://127.0.0.1:8080")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard let data = FileManager.default.contents(atPath: file), let source = String(data: data, encoding: .utf8) else {
            printError("Cannot read \(file) as UTF-8 text.")
            throw ExitCode(2)
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let code = try await submit(client: client, base: base, source: source)
            try await client.shutdown()
            throw ExitCode(code)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func request(_ url: String, method: HTTPMethod = .GET, cookie: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token = ProcessInfo.processInfo.environment["BREAKFIX_TOKEN"], !token.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        return request
    }

    func submit(client: HTTPClient, base: String, source: String) async throws -> Int32 {
        var languageID = language
        if languageID == nil {
            let response = try await client.execute(request(base + "/api/languages", cookie: nil), timeout: .seconds(10))
            let languages = try JSONDecoder().decode([Language].self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            let ext = (file as NSString).pathExtension
            languageID = languages.first { ($0.source_file as NSString).pathExtension == ext }?.id
            guard languageID != nil else {
                printError("Cannot tell the language of \(file) from .\(ext); give --language (one of \(languages.map(\.id).joined(separator: ", "))).")
                return 2
            }
        }
        var post = request(base + "/api/challenges/\(slug)/submissions", method: .POST, cookie: nil)
        post.headers.add(name: "Content-Type", value: "application/json")
        var body: [String: String] = ["language": languageID!, "source": source]
        if let contest { body["contest"] = contest }
        post.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await client.execute(post, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .accepted else {
            struct Refusal: Decodable { var error: String }
            let message = (try? JSONDecoder().decode(Refusal.self, from: Data(buffer: bytes)))?.error ?? String(buffer: bytes)
            printError("Refused (\(response.status.code)): \(message)")
            return 2
        }
        let submitted = try JSONDecoder().decode(Submitted.self, from: Data(buffer: bytes))
        // An anonymous submitter gets a cookie with the POST; the events need it.
        let cookie = response.headers["set-cookie"].first.flatMap { $0.split(separator: ";").first.map(String.init) }
        emit("submitted \(submitted.id) (\(languageID!))")

        let events = try await client.execute(
            request(base + "/api/submissions/\(submitted.id)/events", cookie: cookie), timeout: .minutes(30))
        var printed = Set<Int>()
        var compiled = false
        var pending = ""
        for try await chunk in events.body {
            pending += String(buffer: chunk)
            while let range = pending.range(of: "\n\n") {
                let event = String(pending[..<range.lowerBound])
                pending = String(pending[range.upperBound...])
                guard event.hasPrefix("data: "),
                    let s = try? JSONDecoder().decode(Submission.self, from: Data(event.dropFirst(6).utf8))
                else { continue }
                if !compiled, s.state == "running" || s.state == "done" {
                    compiled = true
                    if let output = s.compile_output, !output.isEmpty, s.verdict != "CE" { emit("compiler: \(output)") }
                }
                for test in s.tests.sorted(by: { $0.n < $1.n }) where !printed.contains(test.n) {
                    printed.insert(test.n)
                    emit(
                        "test \(test.n)/\(s.test_count): \(test.verdict)  cpu \(test.cpu_ms) ms  wall \(test.wall_ms) ms  memory \(test.memory_kb) KiB"
                            + (test.detail.map { "  \($0)" } ?? ""))
                }
                if s.state == "done" {
                    if s.verdict == "CE", let output = s.compile_output { emit(output) }
                    emit("verdict: \(s.verdict ?? "?")" + (s.failed_test.map { " on test \($0)" } ?? ""))
                    return s.verdict == "AC" ? 0 : 1
                }
            }
        }
        printError("The server closed the stream before the verdict; see GET /api/submissions/\(submitted.id).")
        return 2
    }
}
