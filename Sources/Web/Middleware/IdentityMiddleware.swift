import BreakfixCore
import Foundation
import Hummingbird

/// Finds the caller from `Authorization: Bearer <token>` or the `bf_token` cookie.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let users: any UserStore

    static let cookieName = "bf_token"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.token(in: request), token.count <= 128, let user = try await users.user(token: token) {
            context.user = user
            context.token = token
        }
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            return String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return request.cookies[cookieName]?.value
    }
}

/// Gives callers an identity: an anonymous user (a cookie, no sign-up) until they register.
struct Identity: Sendable {
    let users: any UserStore
    let secureCookies: Bool
    static let tokenLifetime: TimeInterval = 30 * 24 * 3600

    /// The caller, creating an anonymous user when they have none; the cookie to set, if new.
    func ensure(_ context: inout AppRequestContext) async throws -> (UserRecord, Cookie?) {
        if let user = context.user { return (user, nil) }
        let user = UserRecord(username: nil, passwordHash: nil)
        try await users.createUser(user)
        let (token, cookie) = try await issueToken(for: user)
        context.user = user
        context.token = token
        return (user, cookie)
    }

    func issueToken(for user: UserRecord) async throws -> (String, Cookie) {
        let token = randomToken()
        try await users.createToken(token, userID: user.id, expiresAt: Date().addingTimeInterval(Self.tokenLifetime))
        return (token, cookie(token))
    }

    func cookie(_ token: String) -> Cookie {
        Cookie(
            name: IdentityMiddleware.cookieName, value: token, maxAge: Int(Self.tokenLifetime), path: "/",
            secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    var clearingCookie: Cookie {
        Cookie(name: IdentityMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }
}
