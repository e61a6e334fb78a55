import BreakfixCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Mustache
import ServiceLifecycle

/// Everything the web application needs, built by the composition root (`breakfix serve`) or a test.
public struct WebDependencies: Sendable {
    public var sessions: SessionService
    public var users: any UserStore
    public var metrics: BreakfixMetrics
    /// Interview mode; nil leaves its routes out.
    public var interviews: (any InterviewStore)?
    /// Code challenges; nil leaves their routes out.
    public var submissions: SubmissionService?
    /// The judge the in-process workers use; nil when judging happens only in `breakfix judge-worker`s.
    public var judge: (any Judge)?
    /// In-process judge workers (each judges one submission at a time).
    public var judgeWorkers: Int = 1
    public var languageVersions = LanguageVersions()
    /// Contests (needs `submissions`).
    public var contests: (any ContestStore)?

    public init(sessions: SessionService, users: any UserStore, metrics: BreakfixMetrics, interviews: (any InterviewStore)? = nil) {
        self.sessions = sessions
        self.users = users
        self.metrics = metrics
        self.interviews = interviews
    }
}

/// Where the templates and static files are: the module's resources.
public enum WebResources {
    public static var directory: URL { Bundle.module.bundleURL.appendingPathComponent("Resources") }
}

/// The router with every route; tests drive it with `app.test(.router)`.
public func buildRouter(
    configuration: WebConfiguration, dependencies: WebDependencies, templates: MustacheLibrary
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let identity = Identity(users: dependencies.users, secureCookies: configuration.secureCookies)
    router.middlewares.add(SecurityMiddleware())
    if !configuration.trustedProxies.isEmpty {
        router.middlewares.add(SecureCookieMiddleware(trustedProxies: configuration.trustedProxies))
    }
    router.middlewares.add(
        FileMiddleware(WebResources.directory.appendingPathComponent("static").path, urlBasePath: "/static", searchForIndexHtml: false))
    router.middlewares.add(
        FileMiddleware(configuration.vendorDirectory.path, urlBasePath: "/vendor", searchForIndexHtml: false))
    router.middlewares.add(IdentityMiddleware(users: dependencies.users))

    var api = APIController(
        sessions: dependencies.sessions, users: dependencies.users, identity: identity, bcryptCost: configuration.bcryptCost,
        trustedProxies: configuration.trustedProxies)
    var contestService: ContestService?
    if let submissions = dependencies.submissions, let contests = dependencies.contests {
        let service = ContestService(store: contests, submissions: submissions, sessions: dependencies.sessions)
        contestService = service
        api.contestGate = { contest, scenario, user in
            try await service.admitSession(contestID: contest, scenario: scenario, userID: user)
        }
    }
    let apiGroup = router.group("api").add(middleware: JSONErrorMiddleware())
    api.addRoutes(to: apiGroup)
    let interviews = dependencies.interviews.map { InterviewService(store: $0, sessions: dependencies.sessions) }
    if let interviews {
        InterviewController(interviews: interviews, identity: identity, templates: templates, publicURL: configuration.publicURL)
            .addRoutes(api: apiGroup, pages: router)
    }
    router.get("api/openapi.yaml") { _, _ -> Response in
        let url = WebResources.directory.appendingPathComponent("openapi.yaml")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
    if let submissions = dependencies.submissions {
        var challenges = ChallengeController(
            submissions: submissions, versions: dependencies.languageVersions, identity: identity, templates: templates)
        if let service = contestService {
            let controller = ContestController(
                contests: service, users: dependencies.users, identity: identity, templates: templates)
            challenges.contestGate = { contest, slug, user in
                try await controller.contests.admitSubmission(contestID: contest, slug: slug, userID: user)
            }
            controller.addRoutes(api: apiGroup, pages: router)
        }
        challenges.addRoutes(api: apiGroup, pages: router)
    }
    TerminalController(sessions: dependencies.sessions, interviews: interviews).addRoutes(to: router)
    HealthController(sessions: dependencies.sessions, metrics: dependencies.metrics).addRoutes(to: router)
    PageController(
        sessions: dependencies.sessions, users: dependencies.users, identity: identity, templates: templates, api: api,
        interviews: interviews, challenges: dependencies.submissions?.challenges
    ).addRoutes(to: router)
    return router
}

public func loadTemplates() async throws -> MustacheLibrary {
    try await MustacheLibrary(directory: WebResources.directory.appendingPathComponent("templates").path)
}

/// The whole server: HTTP with WebSocket upgrades, the start workers and the reaper, in one
/// service group that shuts down in order on SIGTERM/SIGINT.
public func buildApplication(
    configuration: WebConfiguration, dependencies: WebDependencies, logger: Logger, reaperInterval: Duration = .seconds(5)
) async throws -> some ApplicationProtocol {
    let templates = try await loadTemplates()
    let router = buildRouter(configuration: configuration, dependencies: dependencies, templates: templates)
    var app = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "breakfix"),
        logger: logger)
    for n in 0..<configuration.workers {
        app.addServices(WorkerService(sessions: dependencies.sessions, id: "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(n)"))
    }
    if let submissions = dependencies.submissions, let judge = dependencies.judge {
        for n in 0..<max(0, dependencies.judgeWorkers) {
            app.addServices(
                JudgeWorkerService(
                    submissions: submissions, judge: judge,
                    id: "\(ProcessInfo.processInfo.hostName)-\(getpid())-judge-\(n)", logger: logger))
        }
    }
    if let pool = dependencies.sessions.pool {
        app.addServices(PoolService(pool: pool, logger: logger))
    }
    app.addServices(
        ReaperService(
            sessions: dependencies.sessions, interval: reaperInterval, logger: logger,
            recordingRetention: Double(configuration.recordingRetentionDays) * 86400))
    return app
}
