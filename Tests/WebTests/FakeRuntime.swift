import BreakfixCore
import Foundation
import NIOConcurrencyHelpers

/// A runtime without Docker, for the web tests where the engine is not what is tested: checks
/// answer from a switch the test flips, the terminal echoes what it is sent.
final class FakeRuntime: SandboxRuntime, @unchecked Sendable {
    private let lock = NIOLock()
    private var _solved = false
    private var _sandboxes: [String: SandboxSpec] = [:]
    private var _destroyed: [String] = []

    var solved: Bool {
        get { lock.withLock { _solved } }
        set { lock.withLock { _solved = newValue } }
    }
    var live: Int { lock.withLock { _sandboxes.count } }
    private var _down = false
    /// The engine stops answering.
    var down: Bool {
        get { lock.withLock { _down } }
        set { lock.withLock { _down = newValue } }
    }
    var destroyed: [String] { lock.withLock { _destroyed } }
    private var _onStart: (@Sendable () async -> Void)?
    /// Runs inside `start`, e.g. to end the session while its sandbox is being prepared.
    var onStart: (@Sendable () async -> Void)? {
        get { lock.withLock { _onStart } }
        set { lock.withLock { _onStart = newValue } }
    }

    func ping() async throws {
        if down { throw RuntimeError.unavailable(endpoint: "unix:///fake.sock", reason: "connection refused") }
    }

    func create(_ spec: SandboxSpec) async throws -> SandboxID {
        let id = randomToken()
        lock.withLock { _sandboxes[id] = spec }
        return SandboxID(id)
    }

    func start(_ id: SandboxID) async throws {
        if let hook = onStart { await hook() }
    }

    func exec(_ id: SandboxID, _ request: ExecRequest) async throws -> ExecResult {
        guard lock.withLock({ _sandboxes[id.rawValue] }) != nil else { throw RuntimeError.sandboxNotFound(id) }
        let out = solved ? "OK\n" : "<b>the flag</b> is missing\nNO\n"
        return ExecResult(exitCode: 0, stdout: Array(out.utf8), stderr: [])
    }

    func openTerminal(_ id: SandboxID, _ request: TerminalRequest) async throws -> any TerminalStream {
        EchoTerminal()
    }

    func stop(_ id: SandboxID, timeout: Duration) async throws {}

    func destroy(_ id: SandboxID) async throws {
        lock.withLock {
            _sandboxes[id.rawValue] = nil
            _destroyed.append(id.rawValue)
        }
    }

    func list(labels: [String: String]) async throws -> [SandboxInfo] {
        lock.withLock {
            _sandboxes.map { id, spec in
                SandboxInfo(id: SandboxID(id), name: id, image: spec.image, state: .running, labels: spec.labels)
            }
        }
    }
}

/// A terminal that prints a prompt and echoes input.
final class EchoTerminal: TerminalStream, @unchecked Sendable {
    let output: AsyncThrowingStream<[UInt8], any Error>
    private let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init() {
        (output, continuation) = AsyncThrowingStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(Array("admin@fake:~$ ".utf8))
    }

    func write(_ bytes: [UInt8]) async throws { continuation.yield(bytes) }
    func resize(cols: Int, rows: Int) async throws { continuation.yield(Array("[\(cols)x\(rows)]".utf8)) }
    func exitCode() async throws -> Int32? { 0 }
    func close() async { continuation.finish() }
}
