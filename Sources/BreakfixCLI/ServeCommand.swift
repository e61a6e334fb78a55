import ArgumentParser
import BreakfixCore
import DockerRuntime
import Foundation
import Logging
import Persistence
import Scenarios
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web application: catalog, sessions, browser terminal, leaderboard.",
        discussion: "Environment: BREAKFIX_HOST, BREAKFIX_PORT, BREAKFIX_DATA_DIR, BREAKFIX_SCENARIOS, DATABASE_URL, BREAKFIX_SECURE_COOKIES, BREAKFIX_MAX_LIVE_SESSIONS, BREAKFIX_WORKERS, BREAKFIX_VENDOR_DIR, DOCKER_HOST, BREAKFIX_DISK_CAP, BREAKFIX_MAX_MEMORY, BREAKFIX_MAX_CPUS, BREAKFIX_MAX_PIDS, BREAKFIX_MAX_OPEN_FILES, BREAKFIX_MAX_DISK, BREAKFIX_MAX_TMPFS. Flags override them.")

    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on.") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Where the SQLite database lives.") var dataDir: String?
    @Option(help: "The scenario library.") var scenarios: String?
    @Option(help: "The code challenges (default: $BREAKFIX_CHALLENGES or ./challenges).") var challenges: String?
    @Option(help: "The judge's language list (default: $BREAKFIX_LANGUAGES or ./languages.yaml).") var languages: String?
    @Option(
        name: .customLong("judge-workers"),
        help: "Submissions judged at once in this process (default: $BREAKFIX_JUDGE_WORKERS or 1; 0 leaves judging to `breakfix judge-worker`).")
    var judgeWorkers: Int?

    func run() async throws {
        var configuration = WebConfiguration.fromEnvironment()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let dataDir { configuration.dataDirectory = URL(fileURLWithPath: dataDir) }
        if let scenarios { configuration.scenariosDirectory = URL(fileURLWithPath: scenarios) }
        var logger = Logger(label: "breakfix")
        logger.logLevel = .info

        let library = ScenarioLibrary(root: configuration.scenariosDirectory.standardizedFileURL)
        var bundles: [ScenarioBundle] = []
        for result in try library.loadAll() {
            switch result {
            case .success(let bundle): bundles.append(bundle)
            case .failure(let error): logger.warning("Skipping scenario \(error.slug): \(error.diagnostics.first?.description ?? "invalid")")
            }
        }
        let settings = try SandboxSettings.fromEnvironment()
        let runtime = try DockerSandboxRuntime.fromEnvironment(enforceDiskLimit: settings.diskCap == .on)
        do {
            try await runtime.ping()
            var built: [ScenarioBundle] = []
            for bundle in bundles {
                if try await runtime.imageExists(bundle.imageTag) { built.append(bundle) } else {
                    logger.warning("Scenario \(bundle.scenario.slug) has no image yet; run `breakfix scenario build --all` (make run does).")
                }
            }
            try await Self.reportDiskCap(settings, runtime: runtime, probeImage: built.first?.imageTag, logger: logger)
        } catch {
            logger.error("\(error) Sessions cannot start until it answers; /readyz says so.")
        }
        let database = try await BreakfixDatabase.open(
            url: configuration.databaseURL, dataDirectory: configuration.dataDirectory, logger: logger)
        do {
            try await database.migrate()
            let metrics = BreakfixMetrics()
            let catalog = ScenarioCatalog(bundles)
            let provisioner = SandboxProvisioner(runtime: runtime, maximum: settings.maximum)
            let owner = Self.owner(of: database.location)
            let poolConfiguration = try SandboxPool.Configuration.fromEnvironment()
            for slug in poolConfiguration.sizes.keys where slug != "*" && catalog[slug] == nil {
                logger.warning("BREAKFIX_POOL names \(slug), which is not a scenario here; it is ignored.")
            }
            let pool = poolConfiguration.isEnabled
                ? SandboxPool(
                    configuration: poolConfiguration, provisioner: provisioner, catalog: catalog,
                    extraLabels: [SessionService.ownerLabel: owner])
                : nil
            let sessions = SessionService(
                store: FluentSessionStore(database: database), catalog: catalog, provisioner: provisioner,
                policy: SessionPolicy(
                    maxLiveSessionsPerUser: configuration.maxLiveSessionsPerUser,
                    maxLiveSessionsTotal: configuration.maxSandboxes), metrics: metrics,
                owner: owner,
                recorder: SessionRecorder(directory: configuration.dataDirectory.appendingPathComponent("recordings")),
                pool: pool)
            var dependencies = WebDependencies(
                sessions: sessions, users: FluentUserStore(database: database), metrics: metrics,
                interviews: FluentInterviewStore(database: database))
            let (challengeCatalog, languageList) = JudgeContent.load(
                challenges: ChallengeOptions.challengesURL(challenges), languages: ChallengeOptions.languagesURL(languages),
                logger: logger)
            var judge: DockerJudge?
            if !languageList.isEmpty {
                dependencies.submissions = SubmissionService(
                    store: FluentSubmissionStore(database: database), challenges: challengeCatalog, languages: languageList)
                dependencies.contests = FluentContestStore(database: database)
                let workers = judgeWorkers ?? ProcessInfo.processInfo.environment["BREAKFIX_JUDGE_WORKERS"].flatMap(Int.init) ?? 1
                if workers > 0 {
                    let inProcess = DockerJudge(
                        endpoint: runtime.endpoint, enforceDiskLimit: settings.diskCap == .on, languages: languageList,
                        logger: logger)
                    judge = inProcess
                    dependencies.judge = inProcess
                    dependencies.judgeWorkers = workers
                    let versions = dependencies.languageVersions
                    Task {
                        await versions.set(await inProcess.versions(of: languageList))
                    }
                }
            }
            let app = try await buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
            emit("Breakfix is serving \(challengeCatalog.bundles.count) code challenges in \(languageList.count) languages")
            emit("Breakfix is serving \(bundles.count) scenarios on http://\(configuration.host):\(configuration.port)")
            emit("Its sandboxes carry \(SessionService.ownerLabel)=\(sessions.owner)")
            try await app.runService()
            try? await judge?.shutdown()
        } catch {
            await database.shutdown()
            try? await runtime.shutdown()
            throw error
        }
        await database.shutdown()
        try? await runtime.shutdown()
    }
}

extension ServeCommand {
    /// Says at start whether sandboxes get a disk cap: a warning when the operator opted out, an
    /// error when the engine cannot enforce one (every sandbox start then fails with that sentence).
    static func reportDiskCap(
        _ settings: SandboxSettings, runtime: DockerSandboxRuntime, probeImage: String?, logger: Logger
    ) async throws {
        guard settings.diskCap == .on else {
            logger.warning("BREAKFIX_DISK_CAP=off: sandboxes have no disk cap, so a user can fill the Docker engine's disk.")
            return
        }
        guard let probeImage else { return }
        if let problem = try await runtime.diskCapProblem(image: probeImage, size: settings.maximum.diskBytes) {
            logger.error("\(problem)")
        } else {
            logger.info("Disk cap: the engine enforces a size on every sandbox (at most \(settings.maximum.diskBytes >> 20) MiB).")
        }
    }

    /// `server-<hash of the database location>`: stable across restarts, shared by replicas of
    /// one database, different for another database on the same engine.
    static func owner(of location: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in location.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "server-" + String(hash, radix: 16)
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema (serve does this on start).")

    @Option(name: .customLong("data-dir"), help: "Where the SQLite database lives.") var dataDir: String?

    func run() async throws {
        try await withMigratedDatabase(dataDir: dataDir) { database, _ in
            emit("Migrations applied: \(try await database.appliedMigrations().count)")
        }
    }
}

/// Opens the configured database (`DATABASE_URL`, else SQLite in the data directory), migrates it,
/// runs `body` with it and the configuration, and always shuts it down: the CLI commands that
/// work on the database without serving.
func withMigratedDatabase(
    dataDir: String?, _ body: (BreakfixDatabase, WebConfiguration) async throws -> Void
) async throws {
    var configuration = WebConfiguration.fromEnvironment()
    if let dataDir { configuration.dataDirectory = URL(fileURLWithPath: dataDir) }
    let database = try await BreakfixDatabase.open(
        url: configuration.databaseURL, dataDirectory: configuration.dataDirectory, logger: Logger(label: "breakfix"))
    do {
        try await database.migrate()
        try await body(database, configuration)
    } catch {
        await database.shutdown()
        throw error
    }
    await database.shutdown()
}
