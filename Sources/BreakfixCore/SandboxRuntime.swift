import Foundation

/// An opaque handle to one sandbox (for Docker: the container id).
public struct SandboxID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// What PID 1 of a sandbox is.
public enum InitKind: String, Sendable, Codable, CaseIterable {
    /// systemd boots as PID 1 (units, journald, timers).
    case systemd
    /// A minimal init that only sleeps; processes come from `start.sh`.
    case shell
}

/// What network a sandbox gets.
public enum NetworkPolicy: String, Sendable, Codable, CaseIterable {
    /// Only a loopback interface.
    case none
    /// Egress only to the package cache (needs an operator-configured network).
    case packages
    /// An internal network of the session's own: its sandboxes reach each other and nothing else
    /// (no route out, no address on the host's side, no other session's sandbox).
    case session
}

/// Resource limits of one sandbox. Every field is a hard limit enforced by the runtime.
public struct ResourceLimits: Sendable, Equatable, Codable {
    public var memoryBytes: Int64
    public var cpus: Double
    public var pids: Int
    /// Cap on the writable layer, when the storage driver can enforce one.
    public var diskBytes: Int64
    /// Size of each tmpfs mount (`/run`, `/run/lock`, `/tmp`).
    public var tmpfsBytes: Int64
    /// Soft and hard `RLIMIT_NOFILE` of every process in the sandbox.
    public var openFiles: Int

    public init(
        memoryBytes: Int64 = 256 << 20, cpus: Double = 0.5, pids: Int = 256,
        diskBytes: Int64 = 1 << 30, tmpfsBytes: Int64 = 64 << 20, openFiles: Int = 4096
    ) {
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.pids = pids
        self.diskBytes = diskBytes
        self.tmpfsBytes = tmpfsBytes
        self.openFiles = openFiles
    }

    public static let `default` = ResourceLimits()

    /// Operator maxima: a scenario may ask for more than the default but never more than this.
    public static let operatorMaximum = ResourceLimits(
        memoryBytes: 2 << 30, cpus: 2, pids: 1024, diskBytes: 8 << 30, tmpfsBytes: 256 << 20,
        openFiles: 65536)

    /// Every field clamped to at most `maximum`'s.
    public func clamped(to maximum: ResourceLimits) -> ResourceLimits {
        ResourceLimits(
            memoryBytes: min(memoryBytes, maximum.memoryBytes), cpus: min(cpus, maximum.cpus),
            pids: min(pids, maximum.pids), diskBytes: min(diskBytes, maximum.diskBytes),
            tmpfsBytes: min(tmpfsBytes, maximum.tmpfsBytes), openFiles: min(openFiles, maximum.openFiles))
    }
}

/// Well-known label keys every sandbox carries, so that the database and the runtime can be
/// reconciled after a crash.
public enum SandboxLabel {
    public static let session = "breakfix.session"
    public static let scenario = "breakfix.scenario"
    /// Expiry as seconds since 1970 (integer, UTC).
    public static let expires = "breakfix.expires"
    /// Present on every container, network and volume Breakfix creates.
    public static let managed = "breakfix.managed"
}

/// Everything needed to create one sandbox.
public struct SandboxSpec: Sendable, Equatable {
    public var image: String
    public var name: String?
    public var hostname: String
    public var initKind: InitKind
    public var network: NetworkPolicy
    public var limits: ResourceLimits
    public var labels: [String: String]
    /// Extra size-capped tmpfs mounts (absolute path -> bytes) on top of the standard ones
    /// (`/run`, `/run/lock`, `/tmp`, each `limits.tmpfsBytes`). A scenario uses one to give a
    /// small filesystem that can really fill up (e.g. `/var/log/app`).
    public var extraTmpfs: [String: Int64]
    /// `no-new-privileges`: no process can gain privileges through setuid binaries or file
    /// capabilities. Set when the scenario's user is root (nobody needs sudo); a sudo user keeps it off.
    public var noNewPrivileges: Bool

    public init(
        image: String, name: String? = nil, hostname: String = "breakfix", initKind: InitKind = .shell,
        network: NetworkPolicy = .none, limits: ResourceLimits = .default, labels: [String: String] = [:],
        extraTmpfs: [String: Int64] = [:], noNewPrivileges: Bool = false
    ) {
        self.noNewPrivileges = noNewPrivileges
        self.image = image
        self.name = name
        self.hostname = hostname
        self.initKind = initKind
        self.network = network
        self.limits = limits
        self.labels = labels
        self.extraTmpfs = extraTmpfs
    }

    /// Every tmpfs mount of the sandbox: the standard ones plus `extraTmpfs`.
    public var tmpfsMounts: [String: Int64] {
        var mounts = ["/run": limits.tmpfsBytes, "/run/lock": min(limits.tmpfsBytes, 8 << 20), "/tmp": limits.tmpfsBytes]
        mounts.merge(extraTmpfs) { _, extra in extra }
        return mounts
    }
}

/// A command to run inside a sandbox to completion.
public struct ExecRequest: Sendable, Equatable {
    public var command: [String]
    /// `nil` runs as the image's default user (root for Breakfix images).
    public var user: String?
    public var workingDirectory: String?
    public var environment: [String]
    /// Bytes written to the command's stdin, which is then closed. `nil` gives no stdin.
    public var stdin: [UInt8]?
    /// The command (and everything it started in the exec) is killed after this long.
    public var timeout: Duration
    /// At most this many bytes of stdout and of stderr are kept; the rest is dropped.
    public var outputLimit: Int

    public init(
        command: [String], user: String? = nil, workingDirectory: String? = nil, environment: [String] = [],
        stdin: [UInt8]? = nil, timeout: Duration = .seconds(10), outputLimit: Int = 64 * 1024
    ) {
        self.command = command
        self.user = user
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.stdin = stdin
        self.timeout = timeout
        self.outputLimit = outputLimit
    }
}

/// How a command run by `exec` ended.
public struct ExecResult: Sendable, Equatable {
    /// The exit code; `nil` when it was killed for the timeout.
    public var exitCode: Int32?
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var timedOut: Bool
    /// True when stdout or stderr was longer than the limit and was cut.
    public var truncated: Bool
    public var duration: Duration

    public init(
        exitCode: Int32?, stdout: [UInt8], stderr: [UInt8], timedOut: Bool = false, truncated: Bool = false,
        duration: Duration = .zero
    ) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.truncated = truncated
        self.duration = duration
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// An interactive shell to open in a sandbox.
extension TerminalRequest {
    /// A session's shell: a login shell as the scenario's user, with its history written after
    /// every command (for the interview report).
    public static func shell(for scenario: Scenario) -> TerminalRequest {
        TerminalRequest(
            command: ["/bin/bash", "-l"], user: scenario.user, workingDirectory: scenario.homeDirectory,
            environment: ["TERM=xterm-256color", "LANG=C.UTF-8", "PROMPT_COMMAND=history -a", "HISTTIMEFORMAT=%F %T "])
    }
}

public struct TerminalRequest: Sendable, Equatable {
    public var command: [String]
    public var user: String?
    public var workingDirectory: String?
    public var environment: [String]
    public var cols: Int
    public var rows: Int

    public init(
        command: [String] = ["/bin/bash", "-l"], user: String? = nil, workingDirectory: String? = nil,
        environment: [String] = ["TERM=xterm-256color", "LANG=C.UTF-8"], cols: Int = 80, rows: Int = 24
    ) {
        self.command = command
        self.user = user
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.cols = cols
        self.rows = rows
    }
}

/// A live TTY in a sandbox. Output arrives as chunks of raw terminal bytes; the sequence ends when
/// the shell exits or the terminal is closed.
public protocol TerminalStream: Sendable {
    var output: AsyncThrowingStream<[UInt8], any Error> { get }
    func write(_ bytes: [UInt8]) async throws
    func resize(cols: Int, rows: Int) async throws
    /// The exit code of the shell, once `output` has finished; `nil` if unknown.
    func exitCode() async throws -> Int32?
    func close() async
}

public enum SandboxState: String, Sendable, Codable {
    case created, running, paused, restarting, removing, exited, dead
}

/// What the runtime reports about an existing sandbox.
public struct SandboxInfo: Sendable, Equatable {
    public var id: SandboxID
    public var name: String
    public var image: String
    public var state: SandboxState
    public var labels: [String: String]

    public init(id: SandboxID, name: String, image: String, state: SandboxState, labels: [String: String]) {
        self.id = id
        self.name = name
        self.image = image
        self.state = state
        self.labels = labels
    }
}

/// The sandbox engine, at the level of the product. One implementation per engine
/// (Docker today); handlers and the domain know nothing of the engine's API.
public protocol SandboxRuntime: Sendable {
    /// Succeeds when the engine answers; throws `RuntimeError.unavailable` otherwise.
    func ping() async throws
    func create(_ spec: SandboxSpec) async throws -> SandboxID
    func start(_ id: SandboxID) async throws
    func exec(_ id: SandboxID, _ request: ExecRequest) async throws -> ExecResult
    func openTerminal(_ id: SandboxID, _ request: TerminalRequest) async throws -> any TerminalStream
    func stop(_ id: SandboxID, timeout: Duration) async throws
    /// Removes the sandbox and everything it owns (its writable layer, anonymous volumes).
    /// Removing one that no longer exists is not an error.
    func destroy(_ id: SandboxID) async throws
    /// Sandboxes whose labels include every given key/value pair (an empty value matches any value).
    func list(labels: [String: String]) async throws -> [SandboxInfo]
    /// Removes networks carrying these labels that no sandbox uses and that were made more than
    /// `olderThan` ago (a session's network is made just before its first sandbox). Returns how many.
    func pruneNetworks(labels: [String: String], olderThan: Duration) async throws -> Int
}

extension SandboxRuntime {
    /// Runtimes without networks of their own (test doubles) have nothing to prune.
    public func pruneNetworks(labels: [String: String], olderThan: Duration) async throws -> Int { 0 }
}

/// Builds the image of a scenario from a folder.
public protocol ImageBuilder: Sendable {
    func imageExists(_ tag: String) async throws -> Bool
    /// Builds `directory` (which holds a `Dockerfile`) and tags the result. Files named in
    /// `exclude` (relative paths) are left out of the build context.
    func build(directory: URL, tag: String, labels: [String: String], exclude: Set<String>) async throws
}

/// Errors a runtime reports. Each description is a sentence an operator can act on.
public enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The engine does not answer at all.
    case unavailable(endpoint: String, reason: String)
    case imageNotFound(String)
    case sandboxNotFound(SandboxID)
    /// The image build failed; `step` is the failing instruction, `log` the tail of its output.
    case buildFailed(step: String, log: String)
    /// The engine answered with an error.
    case engine(status: Int, message: String)

    public var description: String {
        switch self {
        case .unavailable(let endpoint, let reason):
            return
                "Docker is not answering at \(endpoint) (\(reason)). Start it with `make setup` (or `sudo systemctl start docker`), then try again."
        case .imageNotFound(let image):
            return "The image \(image) does not exist. Build it with `breakfix scenario build` or `make setup`."
        case .sandboxNotFound(let id):
            return "The sandbox \(id) no longer exists; it may have expired or been removed."
        case .buildFailed(let step, let log):
            return "The image build failed at \(step):\n\(log)"
        case .engine(let status, let message):
            return "Docker refused the request (HTTP \(status)): \(message)"
        }
    }
}
