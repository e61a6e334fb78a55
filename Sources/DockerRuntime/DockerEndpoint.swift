import BreakfixCore
import Foundation

/// Where the Docker Engine listens. Only local unix sockets are supported: Breakfix talks to the
/// engine on its own host (remote engines are reached through a scheduler, not over TCP).
public struct DockerEndpoint: Sendable, Equatable, CustomStringConvertible {
    public static let defaultSocketPath = "/var/run/docker.sock"

    public var socketPath: String

    public init(socketPath: String = DockerEndpoint.defaultSocketPath) {
        self.socketPath = socketPath
    }

    /// `DOCKER_HOST=unix:///path` when set, the default socket otherwise.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DockerEndpoint
    {
        guard let host = environment["DOCKER_HOST"], !host.isEmpty else { return DockerEndpoint() }
        let prefix = "unix://"
        guard host.hasPrefix(prefix), host.count > prefix.count else {
            throw RuntimeError.unavailable(
                endpoint: host, reason: "only unix:// sockets are supported in DOCKER_HOST")
        }
        return DockerEndpoint(socketPath: String(host.dropFirst(prefix.count)))
    }

    public var description: String { "unix://\(socketPath)" }
}
