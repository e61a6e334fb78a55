// In-process figures of the code on the terminal and check paths. Run with
//   swift package --package-path Benchmarks benchmark
import Benchmark
import BreakfixCore
import Foundation
import NIOCore
import Scenarios

/// Where the repository's scenarios are (this file is Benchmarks/Benchmarks/BreakfixBenchmarks/…).
private let repositoryRoot: URL = {
    if let root = ProcessInfo.processInfo.environment["BREAKFIX_ROOT"] { return URL(fileURLWithPath: root) }
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url
}()

/// A chunk of terminal output like a shell's: text, a colour escape, a prompt.
private let outputChunk: [UInt8] = Array(
    "\u{1b}[01;32madmin@access-log-forensics\u{1b}[00m:\u{1b}[01;34m~\u{1b}[00m$ ls -la /var/log/nginx\r\ntotal 1234\r\n"
        .utf8)

/// A synthetic recording: a prompt, a command typed key by key, its output, 200 times.
private func syntheticCast(commands: Int) -> [CastEvent] {
    var events: [CastEvent] = []
    var t = 0.0
    for i in 0..<commands {
        events.append(CastEvent(time: t, code: "o", data: "admin@box:~$ "))
        for ch in "grep -c POST /var/log/nginx/access.log | sort -rn # \(i)" {
            t += 0.08
            events.append(CastEvent(time: t, code: "i", data: String(ch)))
            events.append(CastEvent(time: t + 0.001, code: "o", data: String(ch)))
        }
        t += 0.1
        events.append(CastEvent(time: t, code: "i", data: "\r"))
        events.append(CastEvent(time: t + 0.01, code: "o", data: "\r\n1234\r\n"))
    }
    return events
}

/// A terminal whose output the benchmark pushes itself.
private final class FakeTerminal: TerminalStream, @unchecked Sendable {
    let output: AsyncThrowingStream<[UInt8], any Error>
    let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    init() { (output, continuation) = AsyncThrowingStream.makeStream(bufferingPolicy: .unbounded) }
    func write(_ bytes: [UInt8]) async throws {}
    func resize(cols: Int, rows: Int) async throws {}
    func exitCode() async throws -> Int32? { nil }
    func close() async { continuation.finish() }
}

private struct Unused: Error {}

/// Only `openTerminal` is used by TerminalHub.
private final class FakeRuntime: SandboxRuntime, @unchecked Sendable {
    let terminal = FakeTerminal()
    func ping() async throws {}
    func create(_ spec: SandboxSpec) async throws -> SandboxID { throw Unused() }
    func start(_ id: SandboxID) async throws { throw Unused() }
    func exec(_ id: SandboxID, _ request: ExecRequest) async throws -> ExecResult { throw Unused() }
    func openTerminal(_ id: SandboxID, _ request: TerminalRequest) async throws -> any TerminalStream { terminal }
    func stop(_ id: SandboxID, timeout: Duration) async throws {}
    func destroy(_ id: SandboxID) async throws {}
    func list(labels: [String: String]) async throws -> [SandboxInfo] { [] }
}

/// Docker's multiplexed stream: `frames` frames of `size` bytes, alternately stdout and stderr.
private func multiplexed(frames: Int, size: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(frames * (size + 8))
    for i in 0..<frames {
        bytes += [UInt8(i % 2 + 1), 0, 0, 0, UInt8(size >> 24 & 0xff), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
        bytes += [UInt8](repeating: 0x61, count: size)
    }
    return bytes
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    // One output event of the recorder (one asciicast line, one write(2)); run 1 000 times per
    // iteration and reported per event (scalingFactor).
    Benchmark("SessionRecorder.output, one event (figures per event)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bf-bench-rec-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let recorder = SessionRecorder(directory: dir)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            await recorder.output("5e551011", outputChunk)
        }
        benchmark.stopMeasurement()
        await recorder.delete("5e551011")
        try? FileManager.default.removeItem(at: dir)
    }

    // Rebuilding the typed commands of a 200-command recording (the interview report and replay).
    let cast = syntheticCast(commands: 200)
    Benchmark("Asciicast.commands (200 commands, \(cast.count) events)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Asciicast.commands(cast))
        }
    }

    // Fan-out: one shell's output chunk delivered to N attached clients, per 100 chunks.
    for clients in [1, 10, 100] {
        Benchmark("TerminalHub fan-out ×100 chunks to \(clients) clients") { benchmark in
            let runtime = FakeRuntime()
            let hub = TerminalHub(runtime: runtime)
            var streams: [AsyncStream<[UInt8]>] = []
            for _ in 0..<clients {
                let a = try await hub.attach(sessionID: "s", sandbox: SandboxID("c"), request: TerminalRequest())
                streams.append(a.output)
            }
            let chunks = 100
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                await withTaskGroup(of: Void.self) { group in
                    for stream in streams {
                        group.addTask {
                            var n = 0
                            for await _ in stream {
                                n += 1
                                if n == chunks { break }
                            }
                        }
                    }
                    for _ in 0..<chunks { runtime.terminal.continuation.yield(outputChunk) }
                    await group.waitForAll()
                }
            }
            benchmark.stopMeasurement()
            await hub.close(sessionID: "s")
        }
    }

    // Loading and validating one scenario folder (scenario.yaml, Dockerfile, scripts).
    let scenarioDir = repositoryRoot.appendingPathComponent("scenarios/access-log-forensics")
    Benchmark("ScenarioLoader.load access-log-forensics") { benchmark in
        let loader = ScenarioLoader(displayRoot: repositoryRoot)
        for _ in benchmark.scaledIterations {
            blackHole(try loader.load(scenarioDir))
        }
    }

    // Demultiplexing 1 MiB of Docker's exec stream in 4 KiB frames, read in 64 KiB pieces.
    let stream = multiplexed(frames: 256, size: 4096)
    let pieces: [ByteBuffer] = stride(from: 0, to: stream.count, by: 65536).map {
        ByteBuffer(bytes: stream[$0..<min($0 + 65536, stream.count)])
    }
    Benchmark("StreamDemultiplexer 1 MiB in 4 KiB frames", configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])) { benchmark in
        for _ in benchmark.scaledIterations {
            var demux = StreamDemultiplexer()
            var total = 0
            for piece in pieces {
                demux.feed(piece) { _, payload in total += payload.readableBytes }
            }
            blackHole(total)
        }
    }
}
