import Foundation

/// A sliding-window limit per key (user, address): at most `limit` events per `window`.
public actor RateLimiter {
    public let limit: Int
    public let window: TimeInterval
    private var events: [String: [Date]] = [:]

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an event and says whether it is within the limit.
    public func allow(_ key: String, now: Date = Date()) -> Bool {
        var recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count < limit else {
            events[key] = recent
            return false
        }
        recent.append(now)
        events[key] = recent
        if events.count > 10_000 { events = events.filter { !$0.value.isEmpty } }
        return true
    }

    public func reset(_ key: String) { events[key] = nil }
}
