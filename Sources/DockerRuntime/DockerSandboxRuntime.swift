import AsyncHTTPClient
import BreakfixCore
import Foundation
import Logging
import NIOCore

/// `SandboxRuntime` and `ImageBuilder` on a local Docker Engine, through its HTTP API on the unix
/// socket (no CLI processes). Call `shutdown()` once when done: it closes the connection pool.
public final class DockerSandboxRuntime: SandboxRuntime, ImageBuilder {
    public let endpoint: DockerEndpoint
    /// Whether `create` asks for a writable-layer size (`StorageOpt`). Only storage drivers with
    /// quota support enforce it (overlay2 on XFS with pquota); elsewhere the engine refuses the
    /// container, so it is off by default.
    public let enforceDiskLimit: Bool
    let client: DockerClient

    /// Grace beyond an exec's own timeout after which the connection is closed from our side, in
    /// case the in-container `timeout` could not do its job (e.g. it is missing from the image).
    static let execBackstop: Duration = .seconds(3)
    static let buildTimeout: TimeAmount = .minutes(30)

    public init(
        endpoint: DockerEndpoint = DockerEndpoint(), enforceDiskLimit: Bool = false,
        logger: Logger = Logger(label: "breakfix.docker")
    ) {
        self.endpoint = endpoint
        self.enforceDiskLimit = enforceDiskLimit
        self.client = DockerClient(endpoint: endpoint, logger: logger)
    }

    /// A runtime on the endpoint named by `DOCKER_HOST` (unix sockets only), or the default socket.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, enforceDiskLimit: Bool = false,
        logger: Logger = Logger(label: "breakfix.docker")
    ) throws -> DockerSandboxRuntime {
        DockerSandboxRuntime(
            endpoint: try DockerEndpoint.fromEnvironment(environment), enforceDiskLimit: enforceDiskLimit,
            logger: logger)
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    // MARK: Lifecycle

    public func ping() async throws {
        try await client.ping()
    }

    public func create(_ spec: SandboxSpec) async throws -> SandboxID {
        let cgroupVersion = spec.initKind == .systemd ? try await client.cgroupVersion() : 2
        let body = try SandboxContainerConfig.body(
            for: spec, enforceDiskLimit: enforceDiskLimit, cgroupVersion: cgroupVersion)
        let query = spec.name.map { [("name", $0)] } ?? []
        if spec.network == .session { try await ensureSessionNetwork(spec) }
        let response = try await client.send(.POST, path: "/containers/create", query: query, json: body)
        switch response.status {
        case 201: return SandboxID(try response.decode(IdResponse.self).Id)
        case 404: throw RuntimeError.imageNotFound(spec.image)
        default:
            let message = DockerClient.message(from: response.body)
            if enforceDiskLimit, DiskCapUnsupported.isStorageOptRefusal(message) {
                throw DiskCapUnsupported(engineMessage: message)
            }
            throw client.engineError(response)
        }
    }

    /// Whether this engine enforces a per-container disk cap: creates (never starts) a container
    /// of `image` with a `size` storage option, then removes it. nil when it can; otherwise the
    /// operator's sentence. Any image works; on btrfs `size` must exceed the image's own size.
    public func diskCapProblem(image: String, size: Int64 = 8 << 30) async throws -> DiskCapUnsupported? {
        let body = ContainerCreateBody(
            Image: image, Hostname: "breakfix-probe", Labels: [SandboxLabel.managed: "true", "breakfix.probe": "disk-cap"],
            Cmd: ["true"], Env: [], StopSignal: nil,
            HostConfig: HostConfigBody(
                CapDrop: ["ALL"], CapAdd: [], Privileged: false, NetworkMode: "none", Memory: 0, MemorySwap: 0,
                NanoCpus: 0, PidsLimit: 0, Ulimits: [], Tmpfs: [:], Binds: [], StorageOpt: ["size": String(size)]))
        let response = try await client.send(.POST, path: "/containers/create", json: body)
        switch response.status {
        case 201:
            try await destroy(SandboxID(try response.decode(IdResponse.self).Id))
            return nil
        case 404: throw RuntimeError.imageNotFound(image)
        default:
            let message = DockerClient.message(from: response.body)
            guard DiskCapUnsupported.isStorageOptRefusal(message) else { throw client.engineError(response) }
            return DiskCapUnsupported(engineMessage: message)
        }
    }

    public func start(_ id: SandboxID) async throws {
        let response = try await client.send(.POST, path: "/containers/\(id.rawValue)/start")
        try expectSuccess(response, for: id, alsoAccepting: [304])
    }

    public func stop(_ id: SandboxID, timeout: Duration) async throws {
        let seconds = max(0, Int(timeout.components.seconds))
        let response = try await client.send(
            .POST, path: "/containers/\(id.rawValue)/stop", query: [("t", String(seconds))],
            timeout: .seconds(Int64(seconds) + 60))
        try expectSuccess(response, for: id, alsoAccepting: [304])
    }

    public func destroy(_ id: SandboxID) async throws {
        // A sandbox on its session's network: the network goes with the session's last sandbox.
        let network = try? await sessionNetwork(of: id)
        let response = try await client.send(
            .DELETE, path: "/containers/\(id.rawValue)", query: [("force", "1"), ("v", "1")])
        if response.status == 404 { return }
        // Two removals racing (reaper and session end): the other one is doing the work.
        if response.status == 409, DockerClient.message(from: response.body).contains("already in progress") { return }
        try expectSuccess(response, for: id)
        if let network {
            // 403/409 while another sandbox of the session still uses it; 404 when already gone.
            _ = try? await client.send(.DELETE, path: "/networks/\(network)")
        }
    }

    /// Creates the session's internal network unless it exists.
    func ensureSessionNetwork(_ spec: SandboxSpec) async throws {
        let body = SandboxContainerConfig.sessionNetworkBody(spec)
        let response = try await client.send(.POST, path: "/networks/create", json: body)
        if response.status == 201 || response.status == 409 { return }
        throw client.engineError(response)
    }

    /// `POST /networks/prune` with a label and an age filter: one call removes every unused
    /// network of this server, e.g. a session's network left behind when the server died between
    /// removing the session's last sandbox and its network.
    public func pruneNetworks(labels: [String: String], olderThan: Duration) async throws -> Int {
        let filters = ["label": Self.labelSelectors(labels), "until": ["\(max(0, olderThan.components.seconds))s"]]
        let response = try await client.send(
            .POST, path: "/networks/prune",
            query: [("filters", String(decoding: try JSONEncoder().encode(filters), as: UTF8.self))])
        guard response.status == 200 else { throw client.engineError(response) }
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return (object?["NetworksDeleted"] as? [Any])?.count ?? 0
    }

    /// The name of the session network a container is on, if it is on one.
    func sessionNetwork(of id: SandboxID) async throws -> String? {
        let mode = try await inspect(id).hostConfig.networkMode
        return mode.hasPrefix(SandboxContainerConfig.sessionNetworkPrefix) ? mode : nil
    }

    /// Docker's `label` filter values: `key=value`, or `key` alone for an empty value (any value).
    static func labelSelectors(_ labels: [String: String]) -> [String] {
        labels.map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" }.sorted()
    }

    public func list(labels: [String: String]) async throws -> [SandboxInfo] {
        let filters = String(decoding: try JSONEncoder().encode(["label": Self.labelSelectors(labels)]), as: UTF8.self)
        let response = try await client.send(
            .GET, path: "/containers/json", query: [("all", "1"), ("filters", filters)])
        guard response.status == 200 else { throw client.engineError(response) }
        return try response.decode([ContainerSummaryResponse].self).map { summary in
            SandboxInfo(
                id: SandboxID(summary.Id),
                name: String((summary.Names?.first ?? "").drop { $0 == "/" }),
                image: summary.Image,
                state: SandboxState(rawValue: summary.State) ?? .dead,
                labels: summary.Labels ?? [:])
        }
    }

    /// What the engine applied to the container, as JSON (`GET /containers/{id}/json`).
    public func rawInspect(_ id: SandboxID) async throws -> Data {
        let response = try await client.send(.GET, path: "/containers/\(id.rawValue)/json")
        try expectSuccess(response, for: id)
        return Data(response.body.readableBytesView)
    }

    public func inspect(_ id: SandboxID) async throws -> ContainerInspection {
        try JSONDecoder().decode(ContainerInspection.self, from: try await rawInspect(id))
    }

    // MARK: Exec

    public func exec(_ id: SandboxID, _ request: ExecRequest) async throws -> ExecResult {
        let clock = ContinuousClock()
        let started = clock.now
        let execID = try await client.createExec(
            in: id,
            ExecCreateBody(
                AttachStdin: request.stdin != nil, Tty: false,
                Cmd: Self.killingAfter(request.timeout, request.command), Env: request.environment,
                User: request.user, WorkingDir: request.workingDirectory))
        let path = try await client.versionPrefix() + "/exec/\(execID)/start"
        let backstop = NIODeadline.now() + TimeAmount(request.timeout + Self.execBackstop)

        var stdout = CappedOutput(limit: request.outputLimit)
        var stderr = CappedOutput(limit: request.outputLimit)
        let closedByBackstop = try await HijackedStream.run(
            endpoint: endpoint, group: client.eventLoopGroup, path: path,
            json: try JSONEncoder().encode(ExecStartBody(Tty: false)), closeAt: backstop
        ) { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let stdin = request.stdin
                group.addTask {
                    // The process may exit without reading all of stdin; a failed write is fine.
                    if let stdin, !stdin.isEmpty { try? await outbound.write(ByteBuffer(bytes: stdin)) }
                    // Half-close: the engine closes the process's stdin when it sees our EOF.
                    outbound.finish()
                }
                var demultiplexer = StreamDemultiplexer()
                do {
                    while let chunk = try await inbound.next() {
                        demultiplexer.feed(chunk) { stream, piece in
                            if stream == .stderr { stderr.append(piece) } else { stdout.append(piece) }
                        }
                    }
                } catch where NIODeadline.now() >= backstop {
                    // Our own close at the backstop shows up as a read error.
                }
                try await group.waitForAll()
            }
            return NIODeadline.now() >= backstop
        }

        let duration = clock.now - started
        var exitCode: Int32? = nil
        if !closedByBackstop {
            exitCode = try await client.execExitCode(execID, waitingUpTo: .seconds(2))
        }
        // `timeout -s KILL` kills its whole process group, itself included: 137 after the limit.
        let timedOut = closedByBackstop || (exitCode == 137 && duration >= request.timeout)
        return ExecResult(
            exitCode: timedOut ? nil : exitCode, stdout: stdout.bytes, stderr: stderr.bytes, timedOut: timedOut,
            truncated: stdout.truncated || stderr.truncated, duration: duration)
    }

    /// The command under coreutils `timeout`. Without `--foreground`, `timeout` puts itself and
    /// the command in a new process group and on expiry sends the signal to the whole group, so
    /// background children (`sleep 300 &`) die too; only a process that left the group on purpose
    /// (setsid, a daemon) survives. SIGKILL because a check that traps TERM must still end.
    static func killingAfter(_ limit: Duration, _ command: [String]) -> [String] {
        let seconds = max(0.001, Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18)
        return ["timeout", "-s", "KILL", String(format: "%.3fs", seconds)] + command
    }

    public func openTerminal(_ id: SandboxID, _ request: TerminalRequest) async throws -> any TerminalStream {
        let execID = try await client.createExec(
            in: id,
            ExecCreateBody(
                AttachStdin: true, Tty: true, Cmd: request.command, Env: request.environment, User: request.user,
                WorkingDir: request.workingDirectory))
        return try await DockerTerminal.start(client: client, execID: execID, cols: request.cols, rows: request.rows)
    }

    // MARK: Images

    public func imageExists(_ tag: String) async throws -> Bool {
        let response = try await client.send(.GET, path: "/images/\(tag)/json")
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw client.engineError(response)
        }
    }

    /// Removes an image (and its untagged parents). Removing a missing one is not an error.
    public func removeImage(_ tag: String) async throws {
        let response = try await client.send(.DELETE, path: "/images/\(tag)", query: [("force", "1")])
        guard (200..<300).contains(response.status) || response.status == 404 else { throw client.engineError(response) }
    }

    public func build(directory: URL, tag: String, labels: [String: String], exclude: Set<String>) async throws {
        let context = try TarArchive.buildContext(of: directory, exclude: exclude)
        let labelJSON = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
        // No `version=2`: the legacy builder needs no BuildKit session and reports plain lines.
        var request = try await client.makeRequest(
            .POST, path: "/build",
            query: [("t", tag), ("labels", labelJSON), ("rm", "1"), ("forcerm", "1")])
        request.headers.add(name: "Content-Type", value: "application/x-tar")
        request.body = .bytes(ByteBuffer(bytes: context))

        try await client.stream(request, timeout: Self.buildTimeout) { response in
            guard response.status == .ok else {
                let body = try await response.body.collect(upTo: 1 << 20)
                throw RuntimeError.buildFailed(step: "the start of the build", log: DockerClient.message(from: body))
            }
            var log = BuildLog()
            for try await chunk in response.body { log.feed(chunk) }
            log.finish()
            if log.error != nil {
                throw RuntimeError.buildFailed(step: log.lastStep ?? "the start of the build", log: log.tailText)
            }
        }
    }

    // MARK: Helpers

    private func expectSuccess(_ response: DockerClient.Response, for id: SandboxID, alsoAccepting: Set<Int> = [])
        throws
    {
        if (200..<300).contains(response.status) || alsoAccepting.contains(response.status) { return }
        if response.status == 404 { throw RuntimeError.sandboxNotFound(id) }
        throw client.engineError(response)
    }
}
