import Foundation

/// What the stores and the database can fail with, as sentences for the user or the operator.
public enum PersistenceError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// Another user already has this username (compared case-insensitively).
    case usernameTaken(String)
    case userNotFound(UUID)
    /// `register` was called for a user that already has a username.
    case alreadyRegistered(UUID)
    case sessionNotFound(String)
    /// The database could not be opened or reached; the message says what to check.
    case unavailable(String)
    /// A row holds a value this version does not understand (a newer version wrote it, or a hand edit).
    case corruptRow(String)

    public var description: String {
        switch self {
        case .usernameTaken(let name): "The username \"\(name)\" is already taken. Choose another one."
        case .userNotFound(let id): "No user with id \(id) exists."
        case .alreadyRegistered(let id): "The user \(id) is already registered."
        case .sessionNotFound(let id): "No session with id \(id) exists."
        case .unavailable(let message): message
        case .corruptRow(let message): "The database holds a value this version cannot read: \(message)."
        }
    }

    public var errorDescription: String? { description }
}
