/// In-process fan-out of session changes to the pages watching them (progress bar, timer).
public actor SessionEvents {
    private var subscribers: [String: [Int: AsyncStream<SessionRecord>.Continuation]] = [:]
    private var nextID = 0

    public init() {}

    /// A stream of the session's new states; keeps only the newest value for a slow reader.
    public func subscribe(_ sessionID: String) -> AsyncStream<SessionRecord> {
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncStream<SessionRecord>.makeStream(bufferingPolicy: .bufferingNewest(1))
        subscribers[sessionID, default: [:]][id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(sessionID, id) } }
        return stream
    }

    public func publish(_ session: SessionRecord) {
        for continuation in subscribers[session.id]?.values ?? [:].values {
            continuation.yield(session)
        }
    }

    public func subscriberCount(_ sessionID: String) -> Int { subscribers[sessionID]?.count ?? 0 }

    private func unsubscribe(_ sessionID: String, _ id: Int) {
        subscribers[sessionID]?[id] = nil
        if subscribers[sessionID]?.isEmpty == true { subscribers[sessionID] = nil }
    }
}
