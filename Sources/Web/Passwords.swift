import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Account rules and password hashing shared by the API and the CLI (`breakfix user add`).
public enum Passwords {
    public static let defaultCost: UInt8 = 11

    /// A sentence saying what is wrong with these credentials, or nil.
    public static func problem(username: String, password: String) -> String? {
        guard (3...32).contains(username.count),
            username.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return "A username is 3–32 characters: lowercase letters, digits, - and _." }
        guard (8...200).contains(password.count) else { return "A password needs at least 8 characters (at most 200)." }
        return nil
    }

    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
