import BreakfixCore
import Foundation
import NIOCore
import NIOPosix

/// A raw connection to the engine for the endpoints that "hijack" HTTP (`/exec/{id}/start`,
/// `/containers/{id}/attach`): after the response head the socket carries the process's
/// stdin/stdout/stderr in both directions, which AsyncHTTPClient cannot expose.
///
/// Protocol: we send `Connection: Upgrade` + `Upgrade: tcp`; the engine answers
/// `101 UPGRADED` (older engines or requests without the upgrade headers get `200 OK` with
/// `Content-Type: application/vnd.docker.raw-stream`, also accepted), and every byte after the
/// blank line is the stream.
enum HijackedStream {
    static let maxHeadBytes = 64 * 1024

    /// Connects, sends `POST path` with `json`, checks the response head and runs `body` with the
    /// stream that follows. The connection is closed when `body` returns or throws, and at
    /// `closeAt` at the latest (reads in `body` then end with an error).
    static func run<Result: Sendable>(
        endpoint: DockerEndpoint, group: any EventLoopGroup, path: String, json: Data, closeAt: NIODeadline? = nil,
        _ body: (inout Inbound, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Result
    ) async throws -> Result {
        let channel = try await connect(endpoint: endpoint, group: group)
        let rawChannel = channel.channel
        let closing = closeAt.map { deadline in
            rawChannel.eventLoop.scheduleTask(deadline: deadline) { rawChannel.close(promise: nil) }
        }
        defer { closing?.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(requestHead(path: path, json: json))
            var stream = Inbound(iterator: inbound.makeAsyncIterator())
            try await stream.readResponseHead()
            return try await body(&stream, outbound)
        }
    }

    /// An unopened connection, for callers whose use of the stream outlives one call (terminals).
    static func connect(endpoint: DockerEndpoint, group: any EventLoopGroup) async throws
        -> NIOAsyncChannel<ByteBuffer, ByteBuffer>
    {
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(DockerClient.pingTimeout)
                .connect(unixDomainSocketPath: endpoint.socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            throw TransportFailure.classify(error, endpoint: endpoint, timeout: DockerClient.pingTimeout) ?? error
        }
    }

    static func requestHead(path: String, json: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(
            "POST \(path) HTTP/1.1\r\n" + "Host: docker\r\n" + "Content-Type: application/json\r\n"
                + "Content-Length: \(json.count)\r\n" + "Connection: Upgrade\r\n" + "Upgrade: tcp\r\n\r\n")
        buffer.writeBytes(json)
        return buffer
    }

    /// The bytes of the connection after the request was sent: first the response head, then the
    /// raw stream. Bytes of the stream that arrived with the head are handed out first.
    struct Inbound {
        private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        private var pending: ByteBuffer?

        init(iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
            self.iterator = iterator
        }

        mutating func next() async throws -> ByteBuffer? {
            if let pending {
                self.pending = nil
                if pending.readableBytes > 0 { return pending }
            }
            return try await iterator.next()
        }

        /// Consumes the response head; throws `RuntimeError.engine` unless it switched to the stream.
        mutating func readResponseHead() async throws {
            var head = ByteBuffer()
            var headEnd: Int?
            while headEnd == nil {
                guard var chunk = try await iterator.next() else {
                    throw RuntimeError.engine(status: 502, message: "the engine closed the connection before answering")
                }
                head.writeBuffer(&chunk)
                headEnd = Self.endOfHead(in: head)
                if headEnd == nil, head.readableBytes > HijackedStream.maxHeadBytes {
                    throw RuntimeError.engine(status: 502, message: "the engine sent an oversized response head")
                }
            }
            let headText = head.readString(length: headEnd!) ?? ""
            pending = head
            let statusLine = headText.prefix { $0 != "\r" }
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            if status == 101 || status == 200 { return }
            throw RuntimeError.engine(status: status, message: try await readErrorBody(headText: headText))
        }

        /// The `{"message": …}` of a refused hijack (its body is small and either sized or ends
        /// with the connection).
        private mutating func readErrorBody(headText: String) async throws -> String {
            let length = headText.split(separator: "\r\n").lazy.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first
            var body = pending ?? ByteBuffer()
            pending = nil
            while body.readableBytes < (length ?? HijackedStream.maxHeadBytes), var chunk = try await iterator.next() {
                body.writeBuffer(&chunk)
            }
            return DockerClient.message(from: body)
        }

        /// Length of the head including the blank line, if it is complete.
        private static func endOfHead(in buffer: ByteBuffer) -> Int? {
            let bytes = buffer.readableBytesView
            guard bytes.count >= 4 else { return nil }
            var index = bytes.startIndex
            while index <= bytes.endIndex - 4 {
                if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                    return index + 4 - bytes.startIndex
                }
                index += 1
            }
            return nil
        }
    }
}
