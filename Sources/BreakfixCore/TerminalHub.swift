/// One shell per session, shared by every browser tab attached to it. The shell outlives a
/// dropped connection, so a reconnect resumes the same shell (with recent output replayed).
/// Every client has a small bounded buffer: a client that cannot keep up is disconnected (it
/// reconnects and gets the replay) instead of growing the server's memory.
public actor TerminalHub {
    public struct Attachment: Sendable {
        public let clientID: Int
        /// Recent output, to redraw the screen of a new or reconnecting client.
        public let replay: [UInt8]
        public let output: AsyncStream<[UInt8]>
    }

    private struct Shell {
        var stream: any TerminalStream
        var clients: [Int: AsyncStream<[UInt8]>.Continuation] = [:]
        var scrollback: [UInt8] = []
        var pump: Task<Void, Never>?
        /// Clients that only watch (observers): their input is never forwarded.
        var readOnly: Set<Int> = []
        /// Tells this shell from a later one of the same session.
        var generation: Int
        var cols = 80
        var rows = 24
    }

    public static let scrollbackLimit = 64 * 1024
    /// Chunks buffered per client before it counts as too slow.
    public static let clientBuffer = 256

    private let runtime: any SandboxRuntime
    /// Where every shell's input, output and resizes are recorded, when recording is on.
    public nonisolated let recorder: SessionRecorder?
    private var shells: [String: Shell] = [:]
    private var nextClient = 0
    private var nextGeneration = 0

    public init(runtime: any SandboxRuntime, recorder: SessionRecorder? = nil) {
        self.runtime = runtime
        self.recorder = recorder
    }

    public var activeClients: Int { shells.values.reduce(0) { $0 + $1.clients.count } }
    public var activeShells: Int { shells.count }

    /// Attaches a client to the session's shell, opening the shell when there is none.
    public func attach(
        sessionID: String, sandbox: SandboxID, request: TerminalRequest, readOnly: Bool = false
    ) async throws -> Attachment {
        if shells[sessionID] == nil {
            let stream = try await runtime.openTerminal(sandbox, request)
            // Another client may have opened one while this one waited for the engine.
            if shells[sessionID] == nil {
                install(sessionID: sessionID, stream: stream, request: request)
            } else {
                await stream.close()
            }
        }
        let id = nextClient
        nextClient += 1
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(Self.clientBuffer))
        continuation.onTermination = { _ in Task { await self.detach(sessionID: sessionID, clientID: id) } }
        shells[sessionID]?.clients[id] = continuation
        if readOnly { shells[sessionID]?.readOnly.insert(id) }
        return Attachment(clientID: id, replay: shells[sessionID]?.scrollback ?? [], output: output)
    }

    /// Takes over a shell opened before the session existed (a pooled sandbox's): the next
    /// attach joins it instead of opening one.
    public func adopt(sessionID: String, stream: any TerminalStream, request: TerminalRequest) async {
        guard shells[sessionID] == nil else {
            await stream.close()
            return
        }
        install(sessionID: sessionID, stream: stream, request: request)
    }

    /// Makes `stream` the session's shell and starts delivering its output.
    private func install(sessionID: String, stream: any TerminalStream, request: TerminalRequest) {
        let generation = nextGeneration
        nextGeneration += 1
        shells[sessionID] = Shell(stream: stream, generation: generation, cols: request.cols, rows: request.rows)
        shells[sessionID]?.pump = Task { await self.pump(sessionID: sessionID, stream: stream, generation: generation) }
    }

    /// Input from a client; dropped for read-only clients and for unknown ones.
    public func write(sessionID: String, clientID: Int, _ bytes: [UInt8]) async {
        guard let shell = shells[sessionID], shell.clients[clientID] != nil, !shell.readOnly.contains(clientID) else { return }
        recorder?.postInput(sessionID, bytes, cols: shell.cols, rows: shell.rows)
        try? await shell.stream.write(bytes)
    }

    public func resize(sessionID: String, clientID: Int, cols: Int, rows: Int) async {
        guard let shell = shells[sessionID], shell.clients[clientID] != nil, !shell.readOnly.contains(clientID) else { return }
        let cols = max(1, min(cols, 1000)), rows = max(1, min(rows, 1000))
        guard cols != shell.cols || rows != shell.rows else { return }
        shells[sessionID]?.cols = cols
        shells[sessionID]?.rows = rows
        recorder?.postResize(sessionID, cols: cols, rows: rows)
        try? await shell.stream.resize(cols: cols, rows: rows)
    }

    public func detach(sessionID: String, clientID: Int) {
        shells[sessionID]?.clients[clientID]?.finish()
        shells[sessionID]?.clients[clientID] = nil
        shells[sessionID]?.readOnly.remove(clientID)
    }

    /// Closes the shell and every client (session ended).
    public func close(sessionID: String) async {
        recorder?.postClose(sessionID)
        guard let shell = shells.removeValue(forKey: sessionID) else { return }
        shell.pump?.cancel()
        for client in shell.clients.values { client.finish() }
        await shell.stream.close()
    }

    private func pump(sessionID: String, stream: any TerminalStream, generation: Int) async {
        do {
            for try await chunk in stream.output {
                if let recorder, let shell = shells[sessionID], shell.generation == generation {
                    recorder.postOutput(sessionID, chunk, cols: shell.cols, rows: shell.rows)
                }
                deliver(sessionID: sessionID, chunk)
            }
        } catch {}
        // The shell exited: clients are told by the end of their stream; the next attach opens a new shell.
        if let shell = shells[sessionID], shell.generation == generation {
            shells[sessionID] = nil
            for client in shell.clients.values { client.finish() }
        }
    }

    private func deliver(sessionID: String, _ chunk: [UInt8]) {
        guard var shell = shells[sessionID] else { return }
        shell.scrollback.append(contentsOf: chunk)
        if shell.scrollback.count > Self.scrollbackLimit {
            shell.scrollback.removeFirst(shell.scrollback.count - Self.scrollbackLimit)
        }
        var slow: [Int] = []
        for (id, client) in shell.clients {
            if case .dropped = client.yield(chunk) { slow.append(id) }
        }
        for id in slow {
            shell.clients[id]?.finish()
            shell.clients[id] = nil
        }
        shells[sessionID] = shell
    }
}
