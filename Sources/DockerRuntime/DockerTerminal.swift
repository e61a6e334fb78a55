import BreakfixCore
import Foundation
import NIOCore

/// A TTY exec over a hijacked connection. With a TTY the engine does not multiplex: every byte
/// after the response head is terminal output, every byte we write is keyboard input.
final class DockerTerminal: TerminalStream {
    /// Chunks waiting for the consumer; see `ChunkHandoff` for why this bounds memory.
    static let bufferedChunks = 16

    let output: AsyncThrowingStream<[UInt8], any Error>
    private let client: DockerClient
    private let execID: String
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let handoff: ChunkHandoff<[UInt8]>
    private let pump: Task<Void, Never>

    private init(
        client: DockerClient, execID: String, channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        writer: NIOAsyncChannelOutboundWriter<ByteBuffer>, handoff: ChunkHandoff<[UInt8]>, pump: Task<Void, Never>
    ) {
        self.client = client
        self.execID = execID
        self.channel = channel
        self.writer = writer
        self.handoff = handoff
        self.pump = pump
        self.output = AsyncThrowingStream(unfolding: {
            try await withTaskCancellationHandler {
                try await handoff.next()
            } onCancel: {
                Task { await handoff.cancel() }
            }
        })
    }

    /// Starts the exec `execID` (created with `Tty: true`) and sizes its terminal.
    static func start(client: DockerClient, execID: String, cols: Int, rows: Int) async throws -> DockerTerminal {
        let path = try await client.versionPrefix() + "/exec/\(execID)/start"
        let json = try JSONEncoder().encode(ExecStartBody(Tty: true))
        let channel = try await HijackedStream.connect(endpoint: client.endpoint, group: client.eventLoopGroup)
        let handoff = ChunkHandoff<[UInt8]>(capacity: bufferedChunks)

        // The connection is used through NIOAsyncChannel's scoped API for the terminal's whole
        // life, so the scope runs in its own task; it hands the writer out once the engine has
        // switched to the raw stream, then moves output into the handoff until the stream ends.
        var pump: Task<Void, Never>?
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer> = try await withCheckedThrowingContinuation {
            continuation in
            pump = Task {
                var announced = false
                do {
                    try await channel.executeThenClose { inbound, outbound in
                        try await outbound.write(HijackedStream.requestHead(path: path, json: json))
                        var stream = HijackedStream.Inbound(iterator: inbound.makeAsyncIterator())
                        try await stream.readResponseHead()
                        announced = true
                        continuation.resume(returning: outbound)
                        while let chunk = try await stream.next() {
                            guard await handoff.send(Array(chunk.readableBytesView)) else { break }
                        }
                    }
                    await handoff.finish()
                } catch {
                    if !announced { continuation.resume(throwing: error) }
                    await handoff.finish(throwing: error)
                }
            }
        }
        let terminal = DockerTerminal(
            client: client, execID: execID, channel: channel, writer: writer, handoff: handoff, pump: pump!)
        // API 1.41 has no ConsoleSize on exec create/start (1.42 added it), so size right after
        // start; the engine waits for the process to have started before resizing.
        do {
            try await terminal.resize(cols: cols, rows: rows)
        } catch {
            await terminal.close()
            throw error
        }
        return terminal
    }

    func write(_ bytes: [UInt8]) async throws {
        try await writer.write(ByteBuffer(bytes: bytes))
    }

    func resize(cols: Int, rows: Int) async throws {
        let response = try await client.send(
            .POST, path: "/exec/\(execID)/resize", query: [("h", String(rows)), ("w", String(cols))])
        guard (200..<300).contains(response.status) else { throw client.engineError(response) }
    }

    func exitCode() async throws -> Int32? {
        try await client.execExitCode(execID, waitingUpTo: .seconds(1))
    }

    func close() async {
        await handoff.cancel()
        try? await channel.channel.close()
        await pump.value
    }
}
