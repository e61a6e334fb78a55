import BreakfixCore
import Foundation
import NIOCore

/// One judge container: created hardened and started, its cgroup found and its own processes
/// (docker-init and `sleep infinity`) noted, so that everything else in it can be measured and
/// killed. `destroy()` removes it.
struct JudgeSandbox: Sendable {
    let id: String
    let client: DockerClient
    let cgroup: CgroupAccounting
    /// Host pids of the container's init and its child, present before any exec.
    let ownProcesses: Set<Int32>

    static func create(
        client: DockerClient, image: String, labels: [String: String], kind: String,
        limits: JudgeContainerConfig.Limits, enforceDiskLimit: Bool
    ) async throws -> JudgeSandbox {
        let body = JudgeContainerConfig.body(
            image: image, labels: labels, kind: kind, limits: limits, enforceDiskLimit: enforceDiskLimit)
        let response = try await client.send(.POST, path: "/containers/create", json: body)
        switch response.status {
        case 201: break
        case 404: throw RuntimeError.imageNotFound(image)
        default:
            let message = DockerClient.message(from: response.body)
            if enforceDiskLimit, DiskCapUnsupported.isStorageOptRefusal(message) {
                throw DiskCapUnsupported(engineMessage: message)
            }
            throw client.engineError(response)
        }
        let id = try response.decode(IdResponse.self).Id
        do {
            let started = try await client.send(.POST, path: "/containers/\(id)/start")
            guard (200..<300).contains(started.status) else { throw client.engineError(started) }
            let inspected = try await client.send(.GET, path: "/containers/\(id)/json")
            guard inspected.status == 200 else { throw client.engineError(inspected) }
            let state = try inspected.decode(ContainerInspection.self).state
            guard let pid = state.pid, pid > 0, state.running else {
                throw JudgeFailure("the judge container \(id.prefix(12)) stopped right after it started")
            }
            let initPid = Int32(pid)
            let cgroup = try CgroupAccounting.of(pid: initPid)
            // docker-init forks `sleep infinity` right after start: wait for it, so that the one
            // legitimate child is never mistaken for something a submission left behind.
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            var children = CgroupAccounting.children(of: initPid)
            while children.isEmpty, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
                children = CgroupAccounting.children(of: initPid)
            }
            guard !children.isEmpty else {
                throw JudgeFailure("the judge container's init (pid \(initPid)) started no command within 5 s")
            }
            return JudgeSandbox(id: id, client: client, cgroup: cgroup, ownProcesses: Set([initPid] + children))
        } catch {
            await Self.remove(id, client: client)
            throw error
        }
    }

    /// Force-removes the container and its anonymous volumes, even when the calling task is
    /// cancelled (the removal runs in a task of its own).
    func destroy() async {
        await Self.remove(id, client: client)
    }

    static func remove(_ id: String, client: DockerClient) async {
        await Task {
            for attempt in 0..<3 {
                let response = try? await client.send(
                    .DELETE, path: "/containers/\(id)", query: [("force", "1"), ("v", "1")])
                if let status = response?.status, (200..<300).contains(status) || status == 404 { return }
                if let response, response.status == 409,
                    DockerClient.message(from: response.body).contains("already in progress")
                {
                    return
                }
                try? await Task.sleep(for: .milliseconds(200 * (attempt + 1)))
            }
            client.logger.error("could not remove judge container \(id); the reaper will (breakfix.managed label)")
        }.value
    }

    /// `POST /containers/{id}/update`: new memory (no swap) and pids limits.
    func update(_ limits: JudgeContainerConfig.Limits) async throws {
        let body = ContainerUpdateBody(
            Memory: limits.memoryBytes, MemorySwap: limits.memoryBytes,
            PidsLimit: Int64(limits.pids + JudgeContainerConfig.ownProcesses))
        let response = try await client.send(.POST, path: "/containers/\(id)/update", json: body)
        guard response.status == 200 else { throw client.engineError(response) }
    }

    /// Kills every process of the container but its own two.
    func killLeftovers() {
        cgroup.killAll(except: ownProcesses)
    }

    // MARK: Running one program

    struct RunLimits: Sendable {
        var wall: Duration
        /// nil: no CPU limit (the compiler has a wall limit only).
        var cpu: Duration?
        /// Growth of anonymous memory and tmpfs files at which the program is killed; nil: only
        /// the container's limit applies.
        var memoryBytes: Int64? = nil
        /// stdout + stderr bytes; one byte more and the program is killed.
        var outputBytes: Int64
        /// How much of the output is kept (stdout only, or both when `mergeStderr`).
        var keepBytes: Int
        var mergeStderr: Bool
        /// CPU time an exec costs before the program itself starts (runc's own init runs in the
        /// container's cgroup), subtracted from what the cgroup counted.
        var cpuOverheadNanoseconds: UInt64 = 0
    }

    enum KillReason: Sendable, Equatable {
        case wall, cpu, output, memory
    }

    struct Measurement: Sendable {
        var exitCode: Int32
        var output: [UInt8]
        /// The last 4 KiB of stderr (for the runtimes' own out-of-memory messages).
        var errorTail: [UInt8] = []
        var outputBytes: Int64
        var wall: Duration
        /// What the cgroup counted, minus the exec's own overhead.
        var cpu: Duration
        /// What the cgroup counted.
        var rawCPUNanoseconds: UInt64
        /// Peak memory above what the container held when the program started (the cgroup's
        /// own peak: page cache of files the program read included).
        var peakBytes: Int64
        /// The largest growth of anonymous memory and tmpfs files seen while polling (every
        /// 10 ms): what the program itself held, without page cache.
        var unreclaimablePeakBytes: Int64
        var oomKilled: Bool
        var killedFor: KillReason?
    }

    /// Runs `command` as nobody in `/work` with `stdin`, measures it from the cgroup, enforces the
    /// limits by killing, and afterwards kills whatever it left running.
    func run(_ command: [String], stdin: [UInt8], environment: [String], limits: RunLimits) async throws -> Measurement
    {
        let cpuBefore = try cgroup.cpuNanoseconds()
        let oomBefore = cgroup.oomKills()
        let peak = cgroup.startPeak()
        let memoryBefore = try cgroup.memoryBytes()
        let unreclaimableBefore = try cgroup.unreclaimableBytes()

        let execID = try await client.createExec(
            in: SandboxID(id),
            ExecCreateBody(
                AttachStdin: true, Tty: false, Cmd: command, Env: environment, User: JudgeContainerConfig.user,
                WorkingDir: JudgeContainerConfig.workDirectory))
        let path = try await client.versionPrefix() + "/exec/\(execID)/start"
        // Only if killing failed: close the connection ourselves well after the wall limit.
        let backstop = NIODeadline.now() + TimeAmount(limits.wall + .seconds(10))
        let clock = ContinuousClock()
        let monitor = RunMonitor(startedAt: clock.now)

        var output: [UInt8] = []
        var errorTail: [UInt8] = []
        var outputBytes: Int64 = 0
        var streamEnded = clock.now
        let closedByBackstop = try await HijackedStream.run(
            endpoint: client.endpoint, group: client.eventLoopGroup, path: path,
            json: try JSONEncoder().encode(ExecStartBody(Tty: false)), closeAt: backstop
        ) { inbound, outbound in
            await monitor.programStarted(at: clock.now)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The program may exit without reading its input; a failed write is fine.
                    if !stdin.isEmpty { try? await outbound.write(ByteBuffer(bytes: stdin)) }
                    outbound.finish()
                }
                group.addTask {
                    await self.watch(
                        execID: execID, cpuBefore: cpuBefore, unreclaimableBefore: unreclaimableBefore, limits: limits,
                        monitor: monitor, clock: clock)
                }
                var demultiplexer = StreamDemultiplexer()
                var killed = false
                do {
                    while let chunk = try await inbound.next() {
                        demultiplexer.feed(chunk) { stream, piece in
                            outputBytes += Int64(piece.readableBytes)
                            if stream == .stderr {
                                errorTail.append(contentsOf: piece.readableBytesView)
                                if errorTail.count > 8192 { errorTail.removeFirst(errorTail.count - 4096) }
                            }
                            guard stream == .stdout || limits.mergeStderr else { return }
                            let room = limits.keepBytes - output.count
                            if room > 0 { output.append(contentsOf: piece.readableBytesView.prefix(room)) }
                        }
                        if outputBytes > limits.outputBytes, !killed {
                            killed = true
                            if await monitor.requestKill(.output) { self.killLeftovers() }
                        }
                    }
                } catch  where NIODeadline.now() >= backstop {
                    // Our own close at the backstop shows up as a read error.
                }
                streamEnded = clock.now
                group.cancelAll()
                try? await group.waitForAll()
                return NIODeadline.now() >= backstop
            }
        }

        var exitCode = closedByBackstop ? nil : try await client.execExitCode(execID, waitingUpTo: .seconds(2))
        // Whatever the program started and left (a daemon, a `setsid` child) dies now.
        killLeftovers()
        let report = await monitor.report()
        if exitCode == nil {
            guard report.killedFor != nil else {
                throw JudgeFailure("the exec \(execID.prefix(12)) did not report an exit status")
            }
            exitCode = 137
        }
        let rawCPU = (try cgroup.cpuNanoseconds()) &- cpuBefore
        let cpu = rawCPU > limits.cpuOverheadNanoseconds ? rawCPU - limits.cpuOverheadNanoseconds : 0
        let ended = report.programEndedAt.map { min($0, streamEnded) } ?? streamEnded
        let peakBytes = max(peak.read() ?? report.memorySeen, report.memorySeen) - memoryBefore
        return Measurement(
            exitCode: exitCode ?? 137, output: output, errorTail: Array(errorTail.suffix(4096)),
            outputBytes: outputBytes,
            wall: max(.zero, ended - report.startedAt), cpu: .nanoseconds(Int64(cpu)), rawCPUNanoseconds: rawCPU,
            peakBytes: max(0, peakBytes),
            unreclaimablePeakBytes: max(0, report.unreclaimableSeen - unreclaimableBefore),
            oomKilled: cgroup.oomKills() > oomBefore, killedFor: report.killedFor)
    }

    /// Polls the running program: kills it at the wall or CPU limit, and notices when the exec's
    /// own process has exited (anything it left holding the output open is killed then).
    private func watch(
        execID: String, cpuBefore: UInt64, unreclaimableBefore: Int64, limits: RunLimits, monitor: RunMonitor,
        clock: ContinuousClock
    ) async {
        var mainPid: Int32?
        while !Task.isCancelled {
            let now = clock.now
            if mainPid == nil, let pid = try? await client.execPid(execID) {
                mainPid = pid
                // The program starts when the engine reports its pid: the exec's set-up before
                // that (about 30 ms of runc) is not the program's wall time.
                await monitor.programStarted(at: now)
            }
            let started = await monitor.startedAt
            if let memory = try? cgroup.memoryBytes() { await monitor.sawMemory(memory) }
            if let held = try? cgroup.unreclaimableBytes() {
                await monitor.sawUnreclaimable(held)
                // At its cgroup limit a program can thrash instead of being OOM-killed: the kernel
                // keeps evicting and re-reading its interpreter's code (measured: Python filling
                // memory ran 10 s of CPU into TLE). So the program's own memory is enforced here.
                if let limit = limits.memoryBytes, held - unreclaimableBefore >= limit {
                    if await monitor.requestKill(.memory) { killLeftovers() }
                }
            }
            if clock.now - started >= limits.wall {
                if await monitor.requestKill(.wall) { killLeftovers() }
            }
            if let cpuLimit = limits.cpu, let used = try? cgroup.cpuNanoseconds(),
                Duration.nanoseconds(Int64(used &- cpuBefore) - Int64(limits.cpuOverheadNanoseconds)) > cpuLimit
            {
                if await monitor.requestKill(.cpu) { killLeftovers() }
            }
            if let mainPid, !CgroupAccounting.isAlive(mainPid) {
                await monitor.programEnded(at: clock.now)
                killLeftovers()
                return
            }
            try? await Task.sleep(for: mainPid == nil ? .milliseconds(2) : .milliseconds(10))
        }
    }
}

/// What the watcher and the output reader of one run agree on.
actor RunMonitor {
    private(set) var startedAt: ContinuousClock.Instant
    private var killedFor: JudgeSandbox.KillReason?
    private var programEndedAt: ContinuousClock.Instant?
    private var memorySeen: Int64 = 0
    private var unreclaimableSeen: Int64 = 0

    init(startedAt: ContinuousClock.Instant) {
        self.startedAt = startedAt
    }

    /// The first call sets the start (the stream opened), a later one moves it to the moment
    /// the engine reported the program's pid.
    func programStarted(at instant: ContinuousClock.Instant) {
        startedAt = instant
    }

    /// True for the first kill request only; later reasons do not replace the first.
    func requestKill(_ reason: JudgeSandbox.KillReason) -> Bool {
        guard killedFor == nil else { return false }
        killedFor = reason
        return true
    }

    func programEnded(at instant: ContinuousClock.Instant) {
        if programEndedAt == nil { programEndedAt = instant }
    }

    func sawMemory(_ bytes: Int64) {
        memorySeen = max(memorySeen, bytes)
    }

    func sawUnreclaimable(_ bytes: Int64) {
        unreclaimableSeen = max(unreclaimableSeen, bytes)
    }

    struct Report: Sendable {
        var startedAt: ContinuousClock.Instant
        var killedFor: JudgeSandbox.KillReason?
        var programEndedAt: ContinuousClock.Instant?
        var memorySeen: Int64
        var unreclaimableSeen: Int64
    }

    func report() -> Report {
        Report(
            startedAt: startedAt, killedFor: killedFor, programEndedAt: programEndedAt, memorySeen: memorySeen,
            unreclaimableSeen: unreclaimableSeen)
    }
}

/// A failure of the judge itself (never of the submission): reported as IE after one retry.
struct JudgeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
