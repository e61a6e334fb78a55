import ArgumentParser
import BreakfixCore
import DockerRuntime
import Foundation
import Logging
import Persistence
import Scenarios
import Web

/// Where challenges and the judge's languages are read from.
struct ChallengeOptions: ParsableArguments {
    @Option(name: .long, help: "A challenge folder or a folder of challenges (default: $BREAKFIX_CHALLENGES or ./challenges).")
    var path: String?

    @Option(name: .long, help: "The judge's language list (default: $BREAKFIX_LANGUAGES or ./languages.yaml).")
    var languages: String?

    var root: URL { Self.challengesURL(path) }
    var languagesURL: URL { Self.languagesURL(languages) }

    static func challengesURL(_ path: String?) -> URL {
        URL(fileURLWithPath: path ?? ProcessInfo.processInfo.environment["BREAKFIX_CHALLENGES"] ?? "challenges").standardizedFileURL
    }

    static func languagesURL(_ path: String?) -> URL {
        URL(fileURLWithPath: path ?? ProcessInfo.processInfo.environment["BREAKFIX_LANGUAGES"] ?? "languages.yaml").standardizedFileURL
    }

    func catalog() throws -> LanguageCatalog {
        do {
            return try LanguageCatalog.load(languagesURL)
        } catch {
            for line in error.diagnostics { printError(line.description) }
            throw ExitCode(2)
        }
    }

    func load(_ slugs: [String], languages: LanguageCatalog) throws -> [Result<ChallengeBundle, ScenarioLoadError>] {
        try ChallengeLibrary(root: root, loader: ChallengeLoader(languages: languages.languages)).load(slugs: slugs)
    }
}

struct ChallengeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "challenge", abstract: "List, check and verify code challenges.",
        subcommands: [ChallengeListCommand.self, ChallengeLintCommand.self, ChallengeVerifyCommand.self, ChallengeRunCommand.self])
}

struct ChallengeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the code challenges.")
    @OptionGroup var options: ChallengeOptions

    func run() async throws {
        let languages = try options.catalog()
        for result in try options.load([], languages: languages) {
            switch result {
            case .success(let b):
                let c = b.challenge
                emit("\(c.slug)\t\(c.difficulty.rawValue)\t\(c.checker)\t\(b.tests.count) tests\t\(b.solutions.count) solutions\t\(c.title)")
            case .failure(let error): emit("\(error.slug)\tINVALID\t\(error.diagnostics.first?.description ?? "")")
            }
        }
    }
}

struct ChallengeLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Check challenge folders and languages.yaml without running anything.",
        discussion: "Prints every problem as file:line: message and exits non-zero if there is any.")
    @Argument(help: "Challenge slugs (folder names).") var slugs: [String] = []
    @Flag(name: .long, help: "Every challenge.") var all = false
    @OptionGroup var options: ChallengeOptions

    func run() async throws {
        let languages = try options.catalog()
        var problems = 0
        var count = 0
        for result in try options.load(all ? [] : slugs, languages: languages) {
            count += 1
            switch result {
            case .success(let bundle): emit("ok \(bundle.challenge.slug)")
            case .failure(let error):
                problems += error.diagnostics.count
                for line in error.diagnostics { emit(line.description) }
            }
        }
        emit("lint: \(count) challenge(s), \(languages.languages.count) language(s), \(problems) problem(s)")
        if problems > 0 { throw ExitCode.failure }
    }
}

struct ChallengeVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Judge every program in each challenge's solutions/ and require the verdict its name declares.",
        discussion: "Prints `PASS <slug> (<seconds>s)` or `FAIL <slug>: <reason>` per challenge and exits non-zero if any failed.")
    @Argument(help: "Challenge slugs (folder names).") var slugs: [String] = []
    @Flag(name: .long, help: "Every challenge.") var all = false
    @OptionGroup var options: ChallengeOptions
    @Option(name: .long, help: "How many challenges to verify at once.") var jobs = 2
    @Flag(name: .long, help: "Print each solution's verdict.") var verbose = false

    func run() async throws {
        let languages = try options.catalog()
        let results = try options.load(all ? [] : slugs, languages: languages)
        let settings = try SandboxSettings.fromEnvironment()
        let judge = DockerJudge(
            endpoint: try DockerEndpoint.fromEnvironment(), enforceDiskLimit: settings.diskCap == .on, languages: languages.languages)
        let verifier = ChallengeVerifier(judge: judge, languages: languages.languages)
        let verbose = self.verbose
        let outcomes = await forEach(results, jobs: max(1, jobs)) { result -> VerifyOutcome in
            let outcome: VerifyOutcome
            switch result {
            case .failure(let error):
                outcome = VerifyOutcome(slug: error.slug, failure: error.diagnostics.first?.description ?? "invalid", duration: .zero)
            case .success(let bundle):
                outcome = await verifier.verify(bundle) { line in if verbose { emit(line) } }
            }
            emit(outcome.line)
            return outcome
        }
        try? await judge.shutdown()
        let failed = outcomes.filter { !$0.passed }.count
        emit("verify: \(outcomes.count - failed) passed, \(failed) failed")
        if failed > 0 {
            printError("\(failed) of \(outcomes.count) challenge(s) failed verification.")
            throw ExitCode.failure
        }
    }
}

/// Loads the challenges and languages a server or worker offers; problems are logged, not fatal.
enum JudgeContent {
    static func load(challenges: URL, languages: URL, logger: Logger) -> (ChallengeCatalog, [LanguageSpec]) {
        var catalog: LanguageCatalog?
        if FileManager.default.fileExists(atPath: languages.path) {
            do {
                catalog = try LanguageCatalog.load(languages)
            } catch {
                logger.error("\(languages.path) is invalid, so code challenges are off: \(error.diagnostics.first?.description ?? "")")
            }
        }
        guard let catalog else {
            if FileManager.default.fileExists(atPath: challenges.path) {
                logger.warning("No language list at \(languages.path) (BREAKFIX_LANGUAGES); code challenges are off.")
            }
            return (ChallengeCatalog([]), [])
        }
        guard FileManager.default.fileExists(atPath: challenges.path) else { return (ChallengeCatalog([]), catalog.languages) }
        var bundles: [ChallengeBundle] = []
        let library = ChallengeLibrary(root: challenges, loader: ChallengeLoader(languages: catalog.languages))
        for result in (try? library.load()) ?? [] {
            switch result {
            case .success(let bundle): bundles.append(bundle)
            case .failure(let error):
                logger.warning("Skipping challenge \(error.slug): \(error.diagnostics.first?.description ?? "invalid")")
            }
        }
        return (ChallengeCatalog(bundles), catalog.languages)
    }
}

/// A judge worker on its own: claims submissions from the shared database and judges them on
/// its Docker engine, so the sandbox tier can run on another machine than the public web tier.
struct JudgeWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge-worker",
        abstract: "Judge submissions from the database on this machine's Docker engine (no web server).",
        discussion: "It must run as root on the engine's host: it reads each sandbox's cgroup for CPU time and peak memory. Give it the same challenges and languages.yaml as the server.")

    @Option(name: .customLong("database-url"), help: "postgres://… shared with the server (default: $DATABASE_URL, else the SQLite file in --data-dir).")
    var databaseURL: String?
    @Option(name: .customLong("data-dir"), help: "Where the SQLite database lives, when no database URL is given.") var dataDir: String?
    @Option(name: .customLong("docker-host"), help: "unix:///path/to/docker.sock (default: $DOCKER_HOST or /var/run/docker.sock).")
    var dockerHost: String?
    @Option(name: .long, help: "Submissions judged at once.") var workers = 1
    @OptionGroup var options: ChallengeOptions

    func run() async throws {
        var logger = Logger(label: "breakfix.judge")
        logger.logLevel = .info
        var environment = ProcessInfo.processInfo.environment
        if let dockerHost { environment["DOCKER_HOST"] = dockerHost }
        let endpoint = try DockerEndpoint.fromEnvironment(environment)
        let (challenges, languages) = JudgeContent.load(challenges: options.root, languages: options.languagesURL, logger: logger)
        guard !languages.isEmpty else {
            printError("No languages: give languages.yaml with --languages or BREAKFIX_LANGUAGES.")
            throw ExitCode(2)
        }
        var configuration = WebConfiguration.fromEnvironment()
        if let dataDir { configuration.dataDirectory = URL(fileURLWithPath: dataDir) }
        let settings = try SandboxSettings.fromEnvironment()
        let judge = DockerJudge(endpoint: endpoint, enforceDiskLimit: settings.diskCap == .on, languages: languages, logger: logger)
        let database = try await BreakfixDatabase.open(
            url: databaseURL ?? configuration.databaseURL, dataDirectory: configuration.dataDirectory, logger: logger)
        do {
            try await database.migrate()
            let service = SubmissionService(
                store: FluentSubmissionStore(database: database), challenges: challenges, languages: languages)
            emit("judge-worker: \(challenges.bundles.count) challenges, \(languages.count) languages, engine \(endpoint), \(max(1, workers)) worker(s)")
            try await runJudgeWorkers(submissions: service, judge: judge, count: max(1, workers), logger: logger)
        } catch {
            await database.shutdown()
            try? await judge.shutdown()
            throw error
        }
        await database.shutdown()
        try? await judge.shutdown()
    }
}

/// `breakfix user add NAME [--admin]`: creates an account; the password is read from stdin.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [UserAddCommand.self])
}

struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create an account; the password is read from stdin (one line).")
    @Argument(help: "The username.") var name: String
    @Flag(name: .long, help: "Make the account an admin (may create contests).") var admin = false
    @Option(name: .customLong("data-dir"), help: "Where the SQLite database lives.") var dataDir: String?

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            printError("Give the password on stdin, e.g. `echo \"$PASSWORD\" | breakfix user add \(name) --admin`.")
            throw ExitCode(2)
        }
        if let problem = Passwords.problem(username: name, password: line) {
            printError(problem)
            throw ExitCode(2)
        }
        let hash = try await Passwords.hash(line)
        try await withMigratedDatabase(dataDir: dataDir) { database, _ in
            let users = FluentUserStore(database: database)
            if try await users.user(username: name.lowercased()) != nil {
                printError("The username \(name) is taken.")
                throw ExitCode.failure
            }
            try await users.createUser(UserRecord(username: name.lowercased(), passwordHash: hash, isAdmin: admin))
            emit("Created \(admin ? "admin " : "")\(name.lowercased())")
        }
    }
}

/// `breakfix challenge run SLUG FILE`: judges one program against a challenge's tests locally,
/// as the server would (authors try a solution; `make bench` times the judge with it).
struct ChallengeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Judge one program against a challenge's tests on this machine's engine.",
        discussion: "Prints each test's verdict, CPU, wall and memory, then the verdict. --json prints one JSON object per judging instead (with its wall time in ms), for scripts.")
    @Argument(help: "The challenge's slug.") var slug: String
    @Argument(help: "The program's file.") var file: String
    @Option(name: .long, help: "The language id (default: from the file's extension).") var language: String?
    @Flag(name: .customLong("hidden-only"), help: "Judge the hidden tests only, not the samples.") var hiddenOnly = false
    @Option(name: .customLong("repeat"), help: "Judge it this many times.") var times = 1
    @Option(name: .long, help: "Judgings at once (with --repeat).") var concurrency = 1
    @Flag(name: .long, help: "One JSON object per judging.") var json = false
    @OptionGroup var options: ChallengeOptions

    func run() async throws {
        let catalog = try options.catalog()
        guard case .success(var bundle) = try options.load([slug], languages: catalog).first else {
            if case .failure(let error) = try options.load([slug], languages: catalog).first {
                for line in error.diagnostics { printError(line.description) }
            }
            throw ExitCode(2)
        }
        if hiddenOnly {
            bundle.tests = bundle.tests.filter { !$0.isSample }
            for index in bundle.tests.indices { bundle.tests[index].number = index + 1 }
        }
        let ext = (file as NSString).pathExtension
        guard let spec = language.flatMap(catalog.language) ?? catalog.languages.first(where: { $0.extensions.contains(ext) }) else {
            printError("Cannot tell the language of \(file); give --language (one of \(catalog.languages.map(\.id).joined(separator: ", "))).")
            throw ExitCode(2)
        }
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else {
            printError("Cannot read \(file) as UTF-8 text.")
            throw ExitCode(2)
        }
        let settings = try SandboxSettings.fromEnvironment()
        let judge = DockerJudge(
            endpoint: try DockerEndpoint.fromEnvironment(), enforceDiskLimit: settings.diskCap == .on, languages: catalog.languages)
        let request = JudgeRequest(bundle: bundle, language: spec, source: source, labels: ["breakfix.purpose": "run"])
        let json = self.json
        let outcomes = await forEach(Array(0..<max(1, times)), jobs: max(1, concurrency)) { _ -> JudgeOutcome in
            let clock = ContinuousClock()
            let started = clock.now
            let outcome = await judge.judge(request) { step in
                if !json, case .test(let t) = step {
                    emit("test \(t.n): \(t.verdict.rawValue)  cpu \(t.cpuMs) ms  wall \(t.wallMs) ms  memory \(t.memoryKB) KiB" + (t.detail.map { "  \($0)" } ?? ""))
                }
            }
            let elapsed = clock.now - started
            let ms = Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
            if json {
                let tests = outcome.tests.map { ["n": $0.n, "cpu_ms": $0.cpuMs, "wall_ms": $0.wallMs, "memory_kb": $0.memoryKB] }
                let object: [String: Any] = [
                    "verdict": outcome.verdict.rawValue, "wall_ms": ms, "tests": tests,
                    "internal_error": outcome.internalError ?? "",
                ]
                if let data = try? JSONSerialization.data(withJSONObject: object) { emit(String(decoding: data, as: UTF8.self)) }
            } else {
                if let output = outcome.compileOutput, !output.isEmpty { emit("compiler:\n\(output)") }
                emit("verdict: \(outcome.verdict.rawValue)" + (outcome.failedTest.map { " on test \($0)" } ?? "") + " (\(ms) ms)")
                if let error = outcome.internalError { emit("internal error: \(error)") }
            }
            return outcome
        }
        try? await judge.shutdown()
        if outcomes.contains(where: { $0.verdict != .AC }) { throw ExitCode.failure }
    }
}
