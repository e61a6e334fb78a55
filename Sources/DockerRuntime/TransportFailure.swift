import AsyncHTTPClient
import BreakfixCore
import Foundation
import NIOCore
import NIOPosix

/// Recognises the ways "the engine is not there" shows up in NIO and AsyncHTTPClient errors.
enum TransportFailure {
    /// `RuntimeError.unavailable` with a plain reason when `error` means the socket cannot be
    /// reached or does not answer; `nil` for any other error.
    static func classify(_ error: any Error, endpoint: DockerEndpoint, timeout: TimeAmount) -> RuntimeError? {
        guard let reason = reason(for: error, socketPath: endpoint.socketPath, timeout: timeout) else { return nil }
        return .unavailable(endpoint: endpoint.description, reason: reason)
    }

    private static func reason(for error: any Error, socketPath: String, timeout: TimeAmount) -> String? {
        if let error = error as? IOError {
            return reason(errno: error.errnoCode, socketPath: socketPath)
        }
        if let error = error as? NIOConnectionError {
            for failure in error.connectionErrors {
                if let reason = reason(for: failure.error, socketPath: socketPath, timeout: timeout) { return reason }
            }
            return "could not connect to the socket"
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return "it did not accept a connection within \(seconds(timeout))"
            case .ioOnClosedChannel, .eof, .alreadyClosed: return "the connection was closed"
            default: break
            }
        }
        if error is SocketAddressError {
            return "\(socketPath) is not a valid socket path"
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "it did not accept a connection within \(seconds(timeout))"
            case .deadlineExceeded, .readTimeout: return "it did not answer within \(seconds(timeout))"
            case .remoteConnectionClosed: return "it closed the connection"
            default: break
            }
        }
        if !FileManager.default.fileExists(atPath: socketPath) {
            return "there is no socket at \(socketPath)"
        }
        return nil
    }

    static func reason(errno code: Int32, socketPath: String) -> String? {
        switch code {
        case ENOENT: return "there is no socket at \(socketPath)"
        case ECONNREFUSED: return "the connection was refused; the daemon is not running"
        case EACCES, EPERM: return "permission denied on \(socketPath); run as root or join the docker group"
        case ENOTSOCK: return "\(socketPath) is not a socket"
        case ECONNRESET, EPIPE: return "the connection was reset"
        case ETIMEDOUT: return "the connection timed out"
        default: return nil
        }
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        let value = Double(amount.nanoseconds) / 1e9
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
