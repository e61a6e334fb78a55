import HTTPTypes
import Hummingbird

/// Behind a TLS-terminating reverse proxy: when a request comes from one of `trustedProxies` with
/// `X-Forwarded-Proto: https`, every cookie the response sets gets `Secure`. The header is ignored
/// from anyone else (a client could send it). `BREAKFIX_SECURE_COOKIES=1` makes every cookie
/// `Secure` regardless.
struct SecureCookieMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard Self.viaTLS(request, from: context.remoteAddress?.ipAddress, trusted: trustedProxies) else { return response }
        let cookies = response.headers[values: .setCookie]
        if !cookies.isEmpty {
            response.headers[values: .setCookie] = cookies.map { Self.secured($0) }
        }
        return response
    }

    static func viaTLS(_ request: Request, from address: String?, trusted: Set<String>) -> Bool {
        guard let address, trusted.contains(address) else { return false }
        return request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func secured(_ cookie: String) -> String {
        let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return attributes.contains("secure") ? cookie : cookie + "; Secure"
    }
}
