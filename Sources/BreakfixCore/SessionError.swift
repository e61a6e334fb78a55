/// Why a session operation was refused. Each description is a sentence for the user.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownScenario(String)
    /// Not found, or not the caller's: the two are indistinguishable on purpose.
    case notFound
    /// The user already has the maximum of live sessions; the first one is given so the page can
    /// offer to resume or end it.
    case liveSessionExists(SessionRecord)
    case notReady(SessionState)
    case ended(SessionState)
    case noMoreClues
    case rateLimited(String)
    case runtimeUnavailable(String)
    case cluesNotAllowed

    public var description: String {
        switch self {
        case .unknownScenario(let slug): "There is no scenario \"\(slug)\"."
        case .notFound: "No such session."
        case .liveSessionExists(let s):
            "You already have a live session (\(s.scenario)); resume it or end it before starting another."
        case .notReady(let state): "The sandbox is not ready yet (\(state.rawValue)); wait for it to finish starting."
        case .ended(let state): "This session has ended (\(state.rawValue))."
        case .noMoreClues: "There are no more clues for this scenario."
        case .rateLimited(let what): "Too many \(what) in a short time; wait a minute and try again."
        case .runtimeUnavailable(let why): "Sandboxes are unavailable right now: \(why)"
        case .cluesNotAllowed: "Clues are not allowed in this interview."
        }
    }
}
