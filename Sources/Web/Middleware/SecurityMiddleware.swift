import HTTPTypes
import Hummingbird

/// Security headers on every response, and a same-origin rule for state-changing requests:
/// cookies are SameSite=Lax, and a request whose `Origin` names another site is refused.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        // xterm.js sets inline styles for its renderer; scripts stay ours only.
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            if ![.get, .head, .options].contains(request.method), !Self.sameOrigin(request) {
                throw APIError(.forbidden, "Cross-site requests are not allowed.")
            }
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Errors (404, 403, 413…) get the same headers as everything else.
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }

    /// No `Origin` (curl, API clients with a bearer token) or an `Origin` whose host is ours.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        let stripped = origin.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        return stripped == host
    }
}
