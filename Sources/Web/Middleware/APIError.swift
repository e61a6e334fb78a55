import BreakfixCore
import Foundation
import Hummingbird

/// An error answered as `{"error": "<sentence>"}` with its status.
public struct APIError: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields
    /// Extra fields beside `error` (e.g. the id of the live session a 409 refers to).
    public var extra: [String: String]

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:], extra: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
        self.extra = extra
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(extra.merging(["error": message]) { _, new in new })
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static let unauthorized = APIError(.unauthorized, "Log in first.")
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// The HTTP answer for a refused session operation.
    static func from(_ error: SessionError) -> APIError {
        switch error {
        case .unknownScenario, .notFound: APIError(.notFound, error.description)
        case .liveSessionExists(let live): APIError(.conflict, error.description, extra: ["session": live.id])
        case .notReady, .ended, .noMoreClues: APIError(.conflict, error.description)
        case .rateLimited: APIError(.tooManyRequests, error.description, headers: [.retryAfter: "60"])
        case .runtimeUnavailable: APIError(.serviceUnavailable, error.description)
        case .cluesNotAllowed: APIError(.forbidden, error.description)
        }
    }
}

/// Turns every error of an API route into JSON: session errors map to their status, anything
/// unexpected becomes a 500 with a sentence (details go to the log, not to the client).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SessionError {
            throw APIError.from(error)
        } catch let error as APIError {
            throw error
        } catch let error as InterviewError {
            throw InterviewController.apiError(error)
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? Self.sentence(for: error.status))
        } catch let error as DecodingError {
            throw APIError.badRequest("The request body is not the JSON this endpoint expects (\(Self.describe(error))).")
        } catch let error as RuntimeError {
            context.logger.error("runtime error: \(error)")
            throw APIError(.serviceUnavailable, error.description)
        } catch {
            context.logger.error("unexpected error: \(error)")
            throw APIError(.internalServerError, "Something went wrong on our side; try again in a moment.")
        }
    }

    static func sentence(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "Not found."
        case 413: "The request is too large."
        case 400: "Bad request."
        default: status.reasonPhrase
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            "wrong type at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\""
        case .dataCorrupted: "not valid JSON"
        @unknown default: "invalid"
        }
    }
}
