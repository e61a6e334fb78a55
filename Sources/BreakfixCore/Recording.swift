import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Records every session's terminal as an asciicast v2 file (the asciinema format): a JSON header
/// line, then one `[seconds, code, data]` line per event — `o` output, `i` input, `r` resize
/// (`"COLSxROWS"`), `m` marker (check attempts, clue reveals).
///
/// Each event is written to the file as it happens, with one `write(2)` per line and no buffer
/// beyond the hand-off below: a crash of the server loses nothing that reached the kernel, and at
/// most the events still being handed off. A session's file is
/// opened on its first event and appended to after a restart; times continue from the header's
/// timestamp, so a replay shows the gap.
///
/// The terminal hub posts its events (`postOutput`, `postInput`, `postResize`, `postClose`) without
/// waiting: one task writes them in order, so a keystroke's echo never waits for a recording write
/// (the echo path measured by `make bench`). `flush()` waits until everything posted is written.
public actor SessionRecorder {
    public let directory: URL
    private var open: [String: Recording] = [:]
    private nonisolated let posted: AsyncStream<Posted>.Continuation

    private enum Posted: Sendable {
        case output(String, [UInt8], cols: Int, rows: Int)
        case input(String, [UInt8], cols: Int, rows: Int)
        case resize(String, cols: Int, rows: Int)
        case close(String)
        case flush(CheckedContinuation<Void, Never>)
    }

    private struct Recording {
        var fd: Int32
        var start: Double
        /// Bytes of an unfinished UTF-8 sequence at the end of the last chunk, per stream.
        var pendingOutput: [UInt8] = []
        var pendingInput: [UInt8] = []
    }

    public init(directory: URL) {
        self.directory = directory
        let (stream, continuation) = AsyncStream.makeStream(of: Posted.self)
        self.posted = continuation
        Task { [weak self] in
            for await event in stream {
                guard let self else { return }
                await self.apply(event)
            }
        }
    }

    deinit { posted.finish() }

    public nonisolated func postOutput(_ sessionID: String, _ bytes: [UInt8], cols: Int, rows: Int) {
        posted.yield(.output(sessionID, bytes, cols: cols, rows: rows))
    }

    public nonisolated func postInput(_ sessionID: String, _ bytes: [UInt8], cols: Int, rows: Int) {
        posted.yield(.input(sessionID, bytes, cols: cols, rows: rows))
    }

    public nonisolated func postResize(_ sessionID: String, cols: Int, rows: Int) {
        posted.yield(.resize(sessionID, cols: cols, rows: rows))
    }

    /// Closes the session's file after everything posted before.
    public nonisolated func postClose(_ sessionID: String) {
        posted.yield(.close(sessionID))
    }

    /// Returns once every event posted before the call is written.
    public nonisolated func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if case .terminated = posted.yield(.flush(done)) { done.resume() }
        }
    }

    private func apply(_ event: Posted) {
        switch event {
        case .output(let id, let bytes, let cols, let rows): output(id, bytes, cols: cols, rows: rows)
        case .input(let id, let bytes, let cols, let rows): input(id, bytes, cols: cols, rows: rows)
        case .resize(let id, let cols, let rows): resize(id, cols: cols, rows: rows)
        case .close(let id): close(id)
        case .flush(let done): done.resume()
        }
    }

    public nonisolated func file(for sessionID: String) -> URL {
        directory.appendingPathComponent("\(sessionID).cast")
    }

    public nonisolated func historyFile(for sessionID: String) -> URL {
        directory.appendingPathComponent("\(sessionID).history")
    }

    public func output(_ sessionID: String, _ bytes: [UInt8], cols: Int = 80, rows: Int = 24) {
        guard var recording = recording(sessionID, cols: cols, rows: rows) else { return }
        let text = Self.takeUTF8(&recording.pendingOutput, bytes)
        open[sessionID] = recording
        if !text.isEmpty { append(sessionID, code: "o", text) }
    }

    public func input(_ sessionID: String, _ bytes: [UInt8], cols: Int = 80, rows: Int = 24) {
        guard var recording = recording(sessionID, cols: cols, rows: rows) else { return }
        let text = Self.takeUTF8(&recording.pendingInput, bytes)
        open[sessionID] = recording
        if !text.isEmpty { append(sessionID, code: "i", text) }
    }

    public func resize(_ sessionID: String, cols: Int, rows: Int) {
        guard recording(sessionID, cols: cols, rows: rows) != nil else { return }
        append(sessionID, code: "r", "\(cols)x\(rows)")
    }

    /// A marker, e.g. `check 2: OK`. Written even before the terminal was opened.
    public func marker(_ sessionID: String, _ label: String) {
        guard recording(sessionID, cols: 80, rows: 24) != nil else { return }
        append(sessionID, code: "m", label)
    }

    /// Closes the session's file (it stays on disk).
    public func close(_ sessionID: String) {
        guard let recording = open.removeValue(forKey: sessionID) else { return }
        Glibc.close(recording.fd)
    }

    /// Deletes a session's recording and history.
    public func delete(_ sessionID: String) {
        close(sessionID)
        try? FileManager.default.removeItem(at: file(for: sessionID))
        try? FileManager.default.removeItem(at: historyFile(for: sessionID))
    }

    /// Deletes recordings last written before `cutoff`, except those of `keep` (live sessions).
    /// Returns the ids deleted.
    @discardableResult
    public func purge(olderThan cutoff: Date, keep: Set<String>) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(
            at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        var deleted: [String] = []
        for url in files where url.pathExtension == "cast" || url.pathExtension == "history" {
            let id = url.deletingPathExtension().lastPathComponent
            guard !keep.contains(id), open[id] == nil,
                let modified = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
                modified < cutoff
            else { continue }
            try? FileManager.default.removeItem(at: url)
            if url.pathExtension == "cast" { deleted.append(id) }
        }
        return deleted
    }

    private func recording(_ sessionID: String, cols: Int, rows: Int) -> Recording? {
        if let recording = open[sessionID] { return recording }
        // Session ids are hex; anything else never names a file.
        guard !sessionID.isEmpty, sessionID.count <= 64, sessionID.allSatisfy(\.isHexDigit) else { return nil }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = file(for: sessionID).path
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return nil }
        var start = Date().timeIntervalSince1970.rounded(.down)
        if let existing = Self.header(path) {
            start = existing
        } else {
            let header: [String: Any] = [
                "version": 2, "width": cols, "height": rows, "timestamp": Int(start),
                "env": ["TERM": "xterm-256color", "SHELL": "/bin/bash"],
            ]
            if let data = try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]) {
                Self.writeAll(fd, Array(data) + [0x0A])
            }
        }
        let recording = Recording(fd: fd, start: start)
        open[sessionID] = recording
        return recording
    }

    private func append(_ sessionID: String, code: String, _ text: String) {
        guard let recording = open[sessionID] else { return }
        let elapsed = max(0, Date().timeIntervalSince1970 - recording.start)
        let time = (elapsed * 1_000_000).rounded() / 1_000_000
        guard let data = try? JSONSerialization.data(withJSONObject: [time, code, text] as [Any], options: [.fragmentsAllowed, .withoutEscapingSlashes])
        else { return }
        Self.writeAll(recording.fd, Array(data) + [0x0A])
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // a full disk: the session goes on, the recording has a gap
            }
            offset += n
        }
    }

    /// The start time in an existing file's header, if the file has one.
    private static func header(_ path: String) -> Double? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096), let newline = data.firstIndex(of: 0x0A),
            let header = try? JSONSerialization.jsonObject(with: data[..<newline]) as? [String: Any],
            let timestamp = header["timestamp"] as? NSNumber
        else { return nil }
        return timestamp.doubleValue
    }

    /// The longest valid UTF-8 prefix of `pending + bytes` as text (invalid bytes replaced); an
    /// unfinished sequence at the end waits for the next chunk.
    static func takeUTF8(_ pending: inout [UInt8], _ bytes: [UInt8]) -> String {
        var all = pending + bytes
        var cut = all.count
        // Look back at most 3 bytes for the start of an unfinished sequence.
        var i = all.count - 1
        while i >= 0 && i >= all.count - 3 {
            let byte = all[i]
            if byte & 0xC0 == 0x80 { i -= 1; continue }  // continuation byte
            let need = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if all.count - i < need { cut = i }
            break
        }
        pending = Array(all[cut...])
        all.removeSubrange(cut...)
        return String(decoding: all, as: UTF8.self)
    }
}

/// One event of an asciicast v2 file.
public struct CastEvent: Sendable, Equatable {
    public var time: Double
    public var code: String
    public var data: String

    public init(time: Double, code: String, data: String) {
        self.time = time
        self.code = code
        self.data = data
    }
}

/// Reads asciicast v2 and derives what a report needs from it.
public enum Asciicast {
    /// The header and events of a cast file's text; lines that do not parse are skipped (a crash
    /// may have cut the last one short).
    public static func parse(_ text: String) -> (header: [String: Any], events: [CastEvent]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(),
            let header = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        else { return ([:], []) }
        var events: [CastEvent] = []
        while let line = lines.next() {
            guard let array = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], array.count == 3,
                let time = (array[0] as? NSNumber)?.doubleValue, let code = array[1] as? String, let data = array[2] as? String
            else { continue }
            events.append(CastEvent(time: time, code: code, data: data))
        }
        return (header, events)
    }

    /// The command lines typed, from the input events: printable keys build a line, Backspace and
    /// Ctrl-U edit it, Ctrl-C drops it, Enter ends it. Cursor keys and history recall cannot be
    /// followed from keystrokes alone (the shell's own history, when present, covers those).
    public static func commands(_ events: [CastEvent]) -> [(time: Double, command: String)] {
        var result: [(Double, String)] = []
        var line: [Character] = []
        for event in events where event.code == "i" {
            var characters = Array(event.data)
            var index = 0
            while index < characters.count {
                let c = characters[index]
                switch c {
                case "\r", "\n":
                    let command = String(line).trimmingCharacters(in: .whitespaces)
                    if !command.isEmpty { result.append((event.time, command)) }
                    line.removeAll()
                case "\u{7F}", "\u{08}":
                    if !line.isEmpty { line.removeLast() }
                case "\u{15}", "\u{03}":
                    line.removeAll()
                case "\u{1B}":
                    // Skip an escape sequence: ESC [ params final, or ESC O x.
                    index += 1
                    if index < characters.count, characters[index] == "[" || characters[index] == "O" {
                        index += 1
                        while index < characters.count, let a = characters[index].asciiValue, !(0x40...0x7E).contains(a) {
                            index += 1
                        }
                    }
                case "\t":
                    line.append(" ")
                default:
                    if let a = c.asciiValue, a < 0x20 { break }
                    line.append(c)
                }
                index += 1
            }
            characters.removeAll()
        }
        return result
    }

    /// `HISTTIMEFORMAT`-less bash history with `#<epoch>` lines (HISTTIMEFORMAT set) → commands
    /// with their Unix times.
    public static func bashHistory(_ text: String) -> [(time: Double?, command: String)] {
        var result: [(Double?, String)] = []
        var pendingTime: Double?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#"), let t = Double(line.dropFirst()) {
                pendingTime = t
                continue
            }
            let command = line.trimmingCharacters(in: .whitespaces)
            if !command.isEmpty { result.append((pendingTime, command)) }
            pendingTime = nil
        }
        return result
    }
}
