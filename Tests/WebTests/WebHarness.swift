import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Persistence
import Scenarios
import Web

/// The real router on a real database (a fresh SQLite file, or the Postgres of
/// `BREAKFIX_TEST_DATABASE_URL`), with a fake runtime and a scenario made for the test.
struct WebHarness: @unchecked Sendable {
    let sessions: SessionService
    let runtime: FakeRuntime
    let database: BreakfixDatabase
    let router: Router<AppRequestContext>
    let directory: URL

    static let scenarioYAML = """
        title: "Flag <script>alert(1)</script> test"
        area: disk
        difficulty: easy
        time_limit: 10m
        tags: [test]
        description: |
          Make the **flag**. <script>alert('x')</script> Fixed when `/srv/flag` exists.
        clues:
          - first clue
          - second clue
        solution_notes: |
          touch /srv/flag
        """

    static func make(
        policy: SessionPolicy = SessionPolicy(), pool poolSizes: [String: Int] = [:],
        configure: (inout WebConfiguration) -> Void = { _ in },
        dependencies extra: (BreakfixDatabase, inout WebDependencies) throws -> Void = { _, _ in }
    ) async throws -> WebHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-web-\(UUID().uuidString)")
        let folder = directory.appendingPathComponent("scenarios/flag-test")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try scenarioYAML.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        try "FROM breakfix/base:bookworm\n".write(to: folder.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        try "echo CHECK\n".write(to: folder.appendingPathComponent("check.sh"), atomically: true, encoding: .utf8)
        let bundle = try ScenarioLoader().load(folder)

        let database = try await BreakfixDatabase.open(
            url: ProcessInfo.processInfo.environment["BREAKFIX_TEST_DATABASE_URL"],
            dataDirectory: directory.appendingPathComponent("data"), logger: Logger(label: "test"))
        if ProcessInfo.processInfo.environment["BREAKFIX_TEST_DATABASE_URL"] != nil {
            // A shared Postgres database: start every test from an empty schema (the suite runs
            // these tests one at a time there, see scripts/test-postgres-suite.sh).
            try await database.revertAllMigrations()
        }
        try await database.migrate()
        let runtime = FakeRuntime()
        let provisioner = SandboxProvisioner(runtime: runtime)
        let catalog = ScenarioCatalog([bundle])
        let pool = poolSizes.isEmpty
            ? nil
            : SandboxPool(
                configuration: .init(sizes: poolSizes), provisioner: provisioner, catalog: catalog,
                extraLabels: [SessionService.ownerLabel: "server"])
        let metrics = BreakfixMetrics()
        let sessions = SessionService(
            store: FluentSessionStore(database: database), catalog: catalog,
            provisioner: provisioner, policy: policy, metrics: metrics,
            recorder: SessionRecorder(directory: directory.appendingPathComponent("data/recordings")), pool: pool)
        var configuration = WebConfiguration()
        configuration.bcryptCost = 4
        configure(&configuration)
        var dependencies = WebDependencies(
            sessions: sessions, users: FluentUserStore(database: database), metrics: metrics,
            interviews: FluentInterviewStore(database: database))
        try extra(database, &dependencies)
        let router = buildRouter(configuration: configuration, dependencies: dependencies, templates: try await loadTemplates())
        return WebHarness(sessions: sessions, runtime: runtime, database: database, router: router, directory: directory)
    }

    func close() async {
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router)
        try await app.test(.router, body)
    }
}

/// JSON helpers for requests and responses.
extension TestResponse {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    var text: String { String(buffer: body) }
    /// `bf_token=…` from Set-Cookie, to send back as a Cookie header.
    var tokenCookie: String? {
        headers[values: .setCookie].first { $0.hasPrefix("bf_token=") }.map { String($0.prefix { $0 != ";" }) }
    }
}

func jsonBody(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
}

func headers(cookie: String? = nil, json: Bool = true) -> HTTPFields {
    var h = HTTPFields()
    if json { h[.contentType] = "application/json" }
    if let cookie { h[.cookie] = cookie }
    return h
}
