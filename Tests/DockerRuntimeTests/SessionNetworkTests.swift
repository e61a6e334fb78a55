import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

/// `network: session`: the sandboxes of one session share an internal network of their own and
/// reach each other; another session's sandbox, the host's services and the outside do not.
@Suite struct SessionNetworkTests {
    static let listener =
        "perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalPort=>7777,Listen=>5,ReuseAddr=>1) or die; while($c=$s->accept){print $c \"pong\\n\"; close $c}' >/dev/null 2>&1 &"

    static func address(_ runtime: DockerSandboxRuntime, _ id: SandboxID) async throws -> String {
        let out = try await runtime.exec(id, .shell("ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1"))
        return out.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `reached` when a TCP connection to ip:port is accepted (and says pong), within 2 s.
    static func probe(_ runtime: DockerSandboxRuntime, from id: SandboxID, _ ip: String, _ port: Int) async throws -> String {
        let out = try await runtime.exec(
            id, .shell("timeout 2 bash -c 'exec 3<>/dev/tcp/\(ip)/\(port); head -1 <&3' 2>/dev/null || echo blocked"))
        return out.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aSessionsSandboxesReachEachOtherAndNothingElse() async throws {
        let tag = uniqueTag("sessnet")
        let sessionA = "a" + randomToken(), sessionB = "b" + randomToken()
        // One tag per sandbox: each withSandbox checks that its own is gone.
        func spec(_ session: String, _ name: String) -> SandboxSpec {
            var s = testSpec(tag: "\(tag)-\(name)", labels: [SandboxLabel.session: session])
            s.network = .session
            return s
        }
        // A listener on every host address, where the server and PostgreSQL would be.
        let host = try HostListener()
        defer { host.stop() }
        try await withRuntime { runtime in
            try await withSandbox(runtime, spec(sessionA, "a1")) { a1 in
                try await withSandbox(runtime, spec(sessionA, "a2")) { a2 in
                    try await withSandbox(runtime, spec(sessionB, "b1")) { b1 in
                        for id in [a2, b1] { _ = try await runtime.exec(id, .shell(Self.listener)) }
                        try await Task.sleep(for: .milliseconds(500))
                        let a2IP = try await Self.address(runtime, a2), b1IP = try await Self.address(runtime, b1)
                        #expect(!a2IP.isEmpty && !b1IP.isEmpty)
                        #expect(try await Self.probe(runtime, from: a1, a2IP, 7777) == "pong", "same session: reachable")
                        #expect(try await Self.probe(runtime, from: a1, b1IP, 7777) == "blocked", "another session: unreachable")
                        for ip in host.addresses {
                            #expect(try await Self.probe(runtime, from: a1, ip, host.port) == "blocked", "the host at \(ip)")
                        }
                        let gateway = try await runtime.exec(a1, .shell("ip route | awk '/default/{print $3}'")).stdoutText
                            .trimmingCharacters(in: .whitespacesAndNewlines)
                        if !gateway.isEmpty {
                            #expect(try await Self.probe(runtime, from: a1, gateway, host.port) == "blocked", "the gateway")
                        }
                        let interfaces = try await runtime.exec(a1, .shell("ls /sys/class/net | sort | tr '\\n' ' '")).stdoutText
                        #expect(interfaces == "eth0 lo ")
                    }
                }
            }
            // The networks went with their sessions' last sandbox.
            let networks = try await runtime.client.send(.GET, path: "/networks")
            let names = String(decoding: networks.body.readableBytesView, as: UTF8.self)
            #expect(!names.contains(sessionA) && !names.contains(sessionB), "session networks left behind")
        }
        #expect(host.connections == 0, "nothing reached the host's listener")
    }
}

extension SessionNetworkTests {
    /// A session's network left behind (the server died between removing the session's last
    /// sandbox and its network) goes at the reaper's next prune; a network in use, a brand-new one
    /// (its sandbox is about to be made) and another server's are kept.
    @Test func unusedNetworksOfThisServerArePruned() async throws {
        let tag = uniqueTag("netprune")
        let owner = "server-test-" + randomToken().prefix(12)
        func spec(_ session: String, owner: String) -> SandboxSpec {
            var s = testSpec(tag: "\(tag)-\(session)", labels: [SandboxLabel.session: session, SessionService.ownerLabel: owner])
            s.network = .session
            return s
        }
        func networks(_ runtime: DockerSandboxRuntime) async throws -> String {
            let response = try await runtime.client.send(.GET, path: "/networks")
            return String(decoding: response.body.readableBytesView, as: UTF8.self)
        }
        try await withRuntime { runtime in
            let left = spec("l" + randomToken(), owner: owner), other = spec("o" + randomToken(), owner: owner + "-other")
            let leftName = SandboxContainerConfig.sessionNetworkName(left), otherName = SandboxContainerConfig.sessionNetworkName(other)
            try await runtime.ensureSessionNetwork(left)
            try await runtime.ensureSessionNetwork(other)
            let used = spec("u" + randomToken(), owner: owner)
            try await withSandbox(runtime, used) { _ in
                #expect(try await runtime.pruneNetworks(labels: [SessionService.ownerLabel: owner], olderThan: .seconds(300)) == 0,
                        "a network made a moment ago is kept")
                #expect(try await runtime.pruneNetworks(labels: [SessionService.ownerLabel: owner], olderThan: .zero) == 1)
                let names = try await networks(runtime)
                #expect(!names.contains(leftName), "the unused network is gone")
                #expect(names.contains(SandboxContainerConfig.sessionNetworkName(used)), "the network in use stays")
                #expect(names.contains(otherName), "another server's network stays")
            }
            _ = try await runtime.client.send(.DELETE, path: "/networks/\(otherName)")
        }
    }
}

/// A TCP listener on all the host's addresses (0.0.0.0), counting connections.
final class HostListener: @unchecked Sendable {
    let port: Int
    let addresses: [String]
    private let fd: Int32
    private let lock = NSLock()
    private var count = 0
    private var thread: Thread?

    var connections: Int { lock.withLock { count } }

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(sock, 16) == 0 else {
            close(sock)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &addr) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) }
        }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        // Every IPv4 address of the host (docker0's, the LAN's, loopback's).
        let out = Pipe()
        let ip = Process()
        ip.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        ip.arguments = ["-4", "-o", "addr", "show"]
        ip.standardOutput = out
        try ip.run()
        ip.waitUntilExit()
        addresses = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { line in
                line.split(separator: " ", omittingEmptySubsequences: true).drop { $0 != "inet" }.dropFirst().first
                    .map { String($0.split(separator: "/")[0]) }
            }
        let fd = self.fd
        thread = Thread { [weak self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                self?.lock.withLock { self?.count += 1 }
                close(client)
            }
        }
        thread?.start()
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
