import NIOCore

/// Splits the stream of a non-TTY exec/attach into stdout and stderr.
///
/// Each frame is an 8-byte header `[stream, 0, 0, 0, size (UInt32 big-endian)]` followed by
/// `size` bytes; stream 1 is stdout, 2 is stderr (0, stdin, is never sent back). Reads do not
/// follow frame boundaries, so both headers and payloads may arrive in pieces.
struct StreamDemultiplexer {
    enum Stream: UInt8 {
        case stdin = 0, stdout = 1, stderr = 2
    }

    private var header: [UInt8] = []
    private var remainingPayload = 0
    private var current = Stream.stdout

    /// Feeds one read; `emit` receives each piece of payload with the stream it belongs to.
    mutating func feed(_ buffer: ByteBuffer, emit: (Stream, ByteBuffer) -> Void) {
        var buffer = buffer
        while buffer.readableBytes > 0 {
            if remainingPayload > 0 {
                let count = min(remainingPayload, buffer.readableBytes)
                let piece = buffer.readSlice(length: count)!
                remainingPayload -= count
                emit(current, piece)
                continue
            }
            let needed = 8 - header.count
            let taken = buffer.readBytes(length: min(needed, buffer.readableBytes))!
            header.append(contentsOf: taken)
            guard header.count == 8 else { return }
            // Unknown stream types are treated as stdout rather than dropped.
            current = Stream(rawValue: header[0]) ?? .stdout
            remainingPayload =
                Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
            header.removeAll(keepingCapacity: true)
        }
    }
}

/// Output kept up to a byte limit; the rest is counted as truncation and dropped.
struct CappedOutput {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var truncated = false

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    mutating func append(_ buffer: ByteBuffer) {
        let room = limit - bytes.count
        if buffer.readableBytes <= room {
            bytes.append(contentsOf: buffer.readableBytesView)
        } else {
            bytes.append(contentsOf: buffer.readableBytesView.prefix(room))
            truncated = true
        }
    }
}
