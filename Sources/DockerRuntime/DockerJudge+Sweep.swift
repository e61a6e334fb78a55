import BreakfixCore
import Foundation

extension DockerJudge {
    /// Removes judge sandboxes (submissions' and checkers') created longer ago than `olderThan`:
    /// what a worker killed mid-judging left behind. No judging lasts that long (compile and every
    /// test have their own limits), so a live worker's sandbox is never touched.
    public func removeAbandonedSandboxes(olderThan: Duration) async -> Int {
        struct Summary: Decodable {
            var Id: String
            var Created: Int64
        }
        var removed = 0
        let cutoff = Int64(Date().timeIntervalSince1970) - olderThan.components.seconds
        for kind in [JudgeContainerConfig.submissionKind, JudgeContainerConfig.checkerKind] {
            guard
                let filters = try? String(
                    decoding: JSONEncoder().encode(["label": ["\(JudgeContainerConfig.kindLabel)=\(kind)"]]), as: UTF8.self),
                let response = try? await client.send(.GET, path: "/containers/json", query: [("all", "1"), ("filters", filters)]),
                response.status == 200, let list = try? response.decode([Summary].self)
            else { continue }
            for container in list where container.Created < cutoff {
                if let gone = try? await client.send(
                    .DELETE, path: "/containers/\(container.Id)", query: [("force", "1"), ("v", "1")]),
                    [204, 404].contains(gone.status)
                {
                    removed += 1
                }
            }
        }
        return removed
    }
}
