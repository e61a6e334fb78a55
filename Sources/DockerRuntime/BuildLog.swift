import Foundation
import NIOCore

/// Follows the JSON-lines progress of a legacy `POST /build`: `{"stream": "..."}` for output,
/// `{"status": ...}` for pulls, `{"error": "...", "errorDetail": {...}}` when it failed (the HTTP
/// status is 200 all the same, since the head was sent before the build ran).
struct BuildLog {
    static let keptLines = 30

    private(set) var lastStep: String?
    private(set) var error: String?
    private(set) var tail: [String] = []
    private var partialLine: [UInt8] = []

    private struct Message: Decodable {
        var stream: String?
        var status: String?
        var error: String?
        var errorDetail: Detail?
        struct Detail: Decodable { var message: String? }
    }

    mutating func feed(_ buffer: ByteBuffer) {
        for byte in buffer.readableBytesView {
            if byte == UInt8(ascii: "\n") {
                handle(line: partialLine)
                partialLine.removeAll(keepingCapacity: true)
            } else {
                partialLine.append(byte)
            }
        }
    }

    mutating func finish() {
        if !partialLine.isEmpty { handle(line: partialLine) }
        partialLine = []
    }

    var tailText: String { tail.joined(separator: "\n") }

    private mutating func handle(line: [UInt8]) {
        guard !line.isEmpty else { return }
        guard let message = try? JSONDecoder().decode(Message.self, from: Data(line)) else {
            keep(String(decoding: line, as: UTF8.self))
            return
        }
        if let text = message.stream {
            for output in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let output = String(output)
                if output.hasPrefix("Step ") { lastStep = output }
                keep(output)
            }
        }
        if let status = message.status { keep(status) }
        if let failure = message.errorDetail?.message ?? message.error {
            error = failure
            keep(failure)
        }
    }

    private mutating func keep(_ line: String) {
        tail.append(line)
        if tail.count > Self.keptLines { tail.removeFirst(tail.count - Self.keptLines) }
    }
}
