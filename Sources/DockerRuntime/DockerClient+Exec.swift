import BreakfixCore
import Foundation

extension DockerClient {
    /// `POST /containers/{id}/exec`: the id of a new, not yet started exec instance.
    func createExec(in container: SandboxID, _ body: ExecCreateBody) async throws -> String {
        let response = try await send(.POST, path: "/containers/\(container.rawValue)/exec", json: body)
        switch response.status {
        case 201: return try response.decode(IdResponse.self).Id
        case 404: throw RuntimeError.sandboxNotFound(container)
        default: throw engineError(response)
        }
    }

    /// `GET /exec/{id}/json`'s exit code. The stream can end a moment before the engine has
    /// recorded the exit, so a still-running exec is polled for up to `limit`; `nil` if it is
    /// still running then.
    func execExitCode(_ execID: String, waitingUpTo limit: Duration) async throws -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            let response = try await send(.GET, path: "/exec/\(execID)/json")
            guard response.status == 200 else { throw engineError(response) }
            let state = try response.decode(ExecInspectResponse.self)
            if !state.Running { return state.ExitCode }
            if clock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension DockerClient {
    /// The exec's process as a host pid; nil until the engine has started it.
    func execPid(_ execID: String) async throws -> Int32? {
        let response = try await send(.GET, path: "/exec/\(execID)/json")
        guard response.status == 200 else { throw engineError(response) }
        let pid = try response.decode(ExecInspectResponse.self).Pid ?? 0
        return pid > 0 ? pid : nil
    }
}
