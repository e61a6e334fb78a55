import Foundation
import Testing

@testable import BreakfixCore

@Suite struct RecordingTests {
    func tempDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-rec-\(UUID().uuidString)")
    }

    @Test func writesAsciicastV2LineByLineAndAppendsAfterARestart() async throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let id = randomToken()
        let recorder = SessionRecorder(directory: dir)
        await recorder.output(id, Array("héllo".utf8), cols: 120, rows: 40)
        await recorder.input(id, Array("ls\r".utf8))
        // A multi-byte character split across two chunks is not torn apart.
        let euro = Array("€".utf8)
        await recorder.output(id, [euro[0]])
        await recorder.output(id, Array(euro[1...]) + Array("!".utf8))
        await recorder.resize(id, cols: 100, rows: 30)
        await recorder.marker(id, "check 1: NO")
        await recorder.close(id)
        // A second recorder (the server restarted) appends to the same file.
        let again = SessionRecorder(directory: dir)
        await again.output(id, Array("after".utf8))
        await again.close(id)

        let text = try String(contentsOf: recorder.file(for: id), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 120 && header["height"] as? Int == 40)
        #expect(header["timestamp"] is Int)
        let cast = Asciicast.parse(text)
        #expect(cast.events.map(\.code) == ["o", "i", "o", "r", "m", "o"])
        #expect(cast.events[2].data == "€!")
        #expect(cast.events[3].data == "100x30")
        #expect(cast.events[4].data == "check 1: NO")
        #expect(cast.events.last?.data == "after")
        #expect(zip(cast.events, cast.events.dropFirst()).allSatisfy { $0.time <= $1.time }, "times never go back")
        #expect(lines.count == 7, "one header line and one line per event, nothing written twice")
    }

    /// What the terminal hub does: post without waiting. Events of concurrent posters keep each
    /// poster's order, nothing is lost, `close` comes after what was posted before it, and `flush`
    /// returns only once everything is on disk.
    @Test func postedEventsAreWrittenInOrderAndFlushWaitsForThem() async throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ids = [randomToken(), randomToken()]
        let recorder = SessionRecorder(directory: dir)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    for i in 0..<300 { recorder.postOutput(id, Array("\(i) ".utf8), cols: 80, rows: 24) }
                    recorder.postInput(id, Array("exit\r".utf8), cols: 80, rows: 24)
                    recorder.postResize(id, cols: 90, rows: 30)
                    recorder.postClose(id)
                }
            }
        }
        await recorder.flush()
        for id in ids {
            let cast = Asciicast.parse(try String(contentsOf: recorder.file(for: id), encoding: .utf8))
            #expect(cast.events.count == 302)
            #expect(cast.events.prefix(300).map(\.data).joined() == (0..<300).map { "\($0) " }.joined())
            #expect(cast.events.suffix(2).map(\.code) == ["i", "r"])
        }
        // Closed by the posted close: a later event opens the file again and appends.
        recorder.postOutput(ids[0], Array("later".utf8), cols: 80, rows: 24)
        await recorder.flush()
        let cast = Asciicast.parse(try String(contentsOf: recorder.file(for: ids[0]), encoding: .utf8))
        #expect(cast.events.last?.data == "later")
    }

    @Test func ignoresIdsThatAreNotSessionIds() async throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recorder = SessionRecorder(directory: dir)
        await recorder.output("../../etc/passwd", Array("x".utf8))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.isEmpty ?? true)
    }

    @Test func commandsFromKeystrokes() {
        let events = [
            CastEvent(time: 1, code: "i", data: "ls -l"),
            CastEvent(time: 1.5, code: "o", data: "ignored output\r\n"),
            CastEvent(time: 2, code: "i", data: "\r"),
            CastEvent(time: 3, code: "i", data: "sytem\u{7F}\u{7F}\u{7F}stemctl status\u{1B}[D\u{1B}[C nginx\r"),
            CastEvent(time: 4, code: "i", data: "rm -rf /\u{03}"),
            CastEvent(time: 5, code: "i", data: "garbage\u{15}df -h\r\r"),
        ]
        let commands = Asciicast.commands(events)
        #expect(commands.map(\.command) == ["ls -l", "systemctl status nginx", "df -h"])
        #expect(commands.map(\.time) == [2, 3, 5])
    }

    @Test func bashHistoryWithTimestamps() {
        let history = Asciicast.bashHistory("#1700000000\nls\n#1700000005\ncat /etc/hosts\n")
        #expect(history.map(\.command) == ["ls", "cat /etc/hosts"])
        #expect(history.map(\.time) == [1_700_000_000, 1_700_000_005])
    }

    @Test func retentionDeletesOldRecordingsButNeverLiveOnes() async throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recorder = SessionRecorder(directory: dir)
        let old = randomToken(), live = randomToken(), recent = randomToken()
        for id in [old, live, recent] {
            await recorder.output(id, Array("x".utf8))
            await recorder.close(id)
        }
        let past = Date().addingTimeInterval(-40 * 86400)
        for id in [old, live] {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: recorder.file(for: id).path)
        }
        let deleted = await recorder.purge(olderThan: Date().addingTimeInterval(-30 * 86400), keep: [live])
        #expect(deleted == [old])
        #expect(!FileManager.default.fileExists(atPath: recorder.file(for: old).path))
        #expect(FileManager.default.fileExists(atPath: recorder.file(for: live).path))
        #expect(FileManager.default.fileExists(atPath: recorder.file(for: recent).path))
    }
}
