import BreakfixCore
import Foundation
import NIOCore
import Testing

@testable import DockerRuntime

@Suite struct StreamDemultiplexerTests {
    private func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let size = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
            + payload
    }

    private func demultiplex(_ reads: [[UInt8]]) -> (stdout: String, stderr: String) {
        var demultiplexer = StreamDemultiplexer()
        var out: [UInt8] = []
        var err: [UInt8] = []
        for read in reads {
            demultiplexer.feed(ByteBuffer(bytes: read)) { stream, piece in
                if stream == .stderr { err += piece.readableBytesView } else { out += piece.readableBytesView }
            }
        }
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func separatesStreamsInOneRead() {
        let result = demultiplex([frame(1, "hello ") + frame(2, "oops") + frame(1, "world")])
        #expect(result.stdout == "hello world")
        #expect(result.stderr == "oops")
    }

    @Test func handlesFramesSplitAtEveryByte() {
        let bytes = frame(1, "out-1 ") + frame(2, "err") + frame(1, "out-2") + frame(2, "") + frame(1, "!")
        let result = demultiplex(bytes.map { [$0] })
        #expect(result.stdout == "out-1 out-2!")
        #expect(result.stderr == "err")
    }

    @Test func handlesLargeFramesAcrossReads() {
        let big = String(repeating: "x", count: 70_000)
        let bytes = frame(1, big) + frame(2, "tail")
        let reads = stride(from: 0, to: bytes.count, by: 4096).map { Array(bytes[$0..<min($0 + 4096, bytes.count)]) }
        let result = demultiplex(reads)
        #expect(result.stdout == big)
        #expect(result.stderr == "tail")
    }

    @Test func capsOutputAndMarksTruncation() {
        var output = CappedOutput(limit: 5)
        output.append(ByteBuffer(string: "abc"))
        #expect(!output.truncated)
        output.append(ByteBuffer(string: "defgh"))
        output.append(ByteBuffer(string: "ijk"))
        #expect(output.bytes == Array("abcde".utf8))
        #expect(output.truncated)
    }
}

@Suite struct TarArchiveTests {
    /// Parses the archive back: (name, type, mode, size, link, contents) per entry, applying PAX paths.
    private func entries(_ archive: [UInt8]) -> [(name: String, type: Character, mode: Int, link: String, data: [UInt8])] {
        func field(_ block: ArraySlice<UInt8>, _ offset: Int, _ width: Int) -> String {
            let start = block.startIndex + offset
            let bytes = block[start..<start + width].prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        func octal(_ text: String) -> Int { Int(text.trimmingCharacters(in: .whitespaces), radix: 8) ?? -1 }
        var result: [(String, Character, Int, String, [UInt8])] = []
        var offset = 0
        var paxPath: String?
        var paxLink: String?
        while offset + 512 <= archive.count {
            let block = archive[offset..<offset + 512]
            if block.allSatisfy({ $0 == 0 }) { break }
            var sum = 0
            for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
            #expect(octal(field(block, 148, 7)) == sum, "checksum of entry at \(offset)")
            #expect(field(block, 257, 6) == "ustar")
            let size = octal(field(block, 124, 12))
            let data = Array(archive[offset + 512..<offset + 512 + size])
            let type = Character(UnicodeScalar(block[block.startIndex + 156]))
            offset += 512 + (size + 511) / 512 * 512
            if type == "x" {
                for record in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                    let keyValue = record.split(separator: " ", maxSplits: 1)[1].split(separator: "=", maxSplits: 1)
                    if keyValue[0] == "path" { paxPath = String(keyValue[1]) }
                    if keyValue[0] == "linkpath" { paxLink = String(keyValue[1]) }
                }
                continue
            }
            let prefix = field(block, 345, 155)
            let name = paxPath ?? (prefix.isEmpty ? "" : prefix + "/") + field(block, 0, 100)
            result.append((name, type, octal(field(block, 100, 8)), paxLink ?? field(block, 157, 100), data))
            paxPath = nil
            paxLink = nil
        }
        return result
    }

    @Test func writesFilesDirectoriesAndLinksWithModes() {
        var archive = TarArchive()
        archive.appendDirectory("etc", mode: 0o755)
        archive.appendFile("etc/run.sh", mode: 0o4755, contents: Array("#!/bin/sh\n".utf8))
        archive.appendSymlink("etc/link", target: "run.sh")
        let parsed = entries(archive.finished())
        #expect(parsed.map(\.name) == ["etc/", "etc/run.sh", "etc/link"])
        #expect(parsed.map(\.type) == ["5", "0", "2"])
        #expect(parsed[1].mode == 0o4755)
        #expect(parsed[1].data == Array("#!/bin/sh\n".utf8))
        #expect(parsed[2].link == "run.sh")
        #expect(archive.finished().count % 512 == 0)
    }

    @Test func longNamesUseThePrefixFieldOrPax() {
        let medium = String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 90)
        let long = (0..<6).map { _ in String(repeating: "p", count: 60) }.joined(separator: "/") + "/file.txt"
        let longTarget = String(repeating: "t/", count: 80) + "end"
        var archive = TarArchive()
        archive.appendFile(medium, mode: 0o644, contents: [1])
        archive.appendFile(long, mode: 0o600, contents: [2, 3])
        archive.appendSymlink("short-link", target: longTarget)
        #expect(TarArchive.splitForUstar(medium) != nil)
        #expect(TarArchive.splitForUstar(long) == nil)
        let parsed = entries(archive.finished())
        #expect(parsed.map(\.name) == [medium, long, "short-link"])
        #expect(parsed[1].data == [2, 3])
        #expect(parsed[2].link == longTarget)
    }

    @Test func paxRecordLengthCountsItself() {
        let records = TarArchive.paxRecords([("path", String(repeating: "a", count: 93))])
        let text = String(decoding: records, as: UTF8.self)
        let declared = Int(text.prefix { $0 != " " })
        #expect(declared == records.count)
    }

    @Test func buildContextIsSortedDeterministicAndHonoursExclude() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("files/sub"), withIntermediateDirectories: true)
        try Data("FROM scratch\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        try Data("secret".utf8).write(to: directory.appendingPathComponent("check.sh"))
        try Data("b".utf8).write(to: directory.appendingPathComponent("files/sub/b.txt"))
        try Data("a".utf8).write(to: directory.appendingPathComponent("files/a.txt"))
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o750], ofItemAtPath: directory.appendingPathComponent("files/a.txt").path)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("files/link").path, withDestinationPath: "a.txt")

        let first = try TarArchive.buildContext(of: directory, exclude: ["check.sh"])
        let second = try TarArchive.buildContext(of: directory, exclude: ["check.sh"])
        #expect(first == second)
        let parsed = entries(first)
        #expect(parsed.map(\.name) == ["Dockerfile", "files/", "files/a.txt", "files/link", "files/sub/", "files/sub/b.txt"])
        #expect(parsed.first { $0.name == "files/a.txt" }?.mode == 0o750)
        #expect(parsed.first { $0.name == "files/link" }?.link == "a.txt")
    }
}

@Suite struct ChunkHandoffTests {
    @Test func producerWaitsWhenFullAndResumesWhenConsumed() async throws {
        let handoff = ChunkHandoff<Int>(capacity: 2)
        #expect(await handoff.send(1))
        let third = Task { await handoff.send(2) }  // fills the queue: suspends
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await handoff.next() == 1)
        #expect(await third.value)
        #expect(try await handoff.next() == 2)
        await handoff.finish()
        #expect(try await handoff.next() == nil)
    }

    @Test func cancelReleasesAWaitingProducer() async throws {
        let handoff = ChunkHandoff<Int>(capacity: 1)
        let blocked = Task {
            let first = await handoff.send(1)
            let second = await handoff.send(2)
            return first && second
        }
        try await Task.sleep(for: .milliseconds(50))
        await handoff.cancel()
        #expect(await blocked.value == false)
        #expect(try await handoff.next() == nil)
    }
}

@Suite struct ConfigurationTests {
    @Test func dockerHostSelectsTheSocket() throws {
        #expect(try DockerEndpoint.fromEnvironment([:]).socketPath == "/var/run/docker.sock")
        #expect(try DockerEndpoint.fromEnvironment(["DOCKER_HOST": "unix:///run/user/1000/docker.sock"]).socketPath
            == "/run/user/1000/docker.sock")
        #expect(throws: RuntimeError.self) { try DockerEndpoint.fromEnvironment(["DOCKER_HOST": "tcp://10.0.0.1:2375"]) }
    }

    @Test func containerBodyAppliesTheSecurityDefaults() throws {
        let spec = SandboxSpec(image: "img", initKind: .shell, labels: ["a": "b"])
        let body = try SandboxContainerConfig.body(for: spec, enforceDiskLimit: false, cgroupVersion: 1)
        #expect(body.Labels == ["a": "b", SandboxLabel.managed: "true"])
        #expect(body.HostConfig.StorageOpt == nil)
        #expect(body.HostConfig.Binds.isEmpty)
        #expect(body.HostConfig.Init == true)
        let systemd = SandboxSpec(image: "img", initKind: .systemd)
        let onV1 = try SandboxContainerConfig.body(for: systemd, enforceDiskLimit: false, cgroupVersion: 1)
        #expect(onV1.HostConfig.Binds == ["/sys/fs/cgroup/systemd:/sys/fs/cgroup/systemd:rw"])
        let onV2 = try SandboxContainerConfig.body(for: systemd, enforceDiskLimit: false, cgroupVersion: 2)
        #expect(onV2.HostConfig.Binds.isEmpty && onV2.HostConfig.CgroupnsMode == "private")
        #expect(body.HostConfig.Tmpfs["/tmp"] == "rw,nosuid,nodev,size=\(64 << 20),mode=1777")
        let withDisk = try SandboxContainerConfig.body(for: spec, enforceDiskLimit: true, cgroupVersion: 1)
        #expect(withDisk.HostConfig.StorageOpt == ["size": String(1 << 30)])
        let packages = SandboxSpec(image: "img", network: .packages)
        #expect(throws: SandboxContainerConfig.Unsupported.self) {
            try SandboxContainerConfig.body(for: packages, enforceDiskLimit: false, cgroupVersion: 1)
        }
    }

    @Test func timeoutWrapperKillsTheProcessGroup() {
        #expect(DockerSandboxRuntime.killingAfter(.milliseconds(1500), ["true"]) == ["timeout", "-s", "KILL", "1.500s", "true"])
    }
}
