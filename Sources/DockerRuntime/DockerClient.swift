import AsyncHTTPClient
import BreakfixCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The request/response half of the Docker Engine API, over one keep-alive `HTTPClient` on the
/// unix socket. Streams that need the raw connection (exec, attach) live in `HijackedStream`.
final class DockerClient: Sendable {
    /// The newest API version this client speaks; a newer engine is asked for this one.
    static let maximumAPIVersion = APIVersion(major: 1, minor: 41)
    static let pingTimeout: TimeAmount = .seconds(5)
    static let defaultTimeout: TimeAmount = .seconds(120)

    let endpoint: DockerEndpoint
    let http: HTTPClient
    let logger: Logger
    private let baseURL: String
    private let negotiated = NegotiatedVersion()
    private let hostFacts = HostFacts()

    init(endpoint: DockerEndpoint, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = Self.pingTimeout
        // A local socket that refuses a connection means the engine is down: fail at once instead
        // of retrying with back-off until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let root = URL(httpURLWithSocketPath: endpoint.socketPath, uri: "/")?.absoluteString ?? "http+unix://docker/"
        self.baseURL = String(root.dropLast())
    }

    func shutdown() async throws {
        try await http.shutdown()
    }

    var eventLoopGroup: any EventLoopGroup { http.eventLoopGroup }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        }
    }

    /// The `/vX.Y` prefix of every versioned path, negotiated with `/_ping` on first use.
    func versionPrefix() async throws -> String {
        if let version = await negotiated.value { return "/v\(version)" }
        _ = try await ping()
        return "/v\(await negotiated.value ?? Self.maximumAPIVersion)"
    }

    /// `GET /_ping` within 5 s; records the API version the engine offers.
    @discardableResult
    func ping() async throws -> APIVersion {
        let response = try await send(.GET, path: "/_ping", versioned: false, timeout: Self.pingTimeout)
        guard response.status == 200 else { throw engineError(response) }
        let offered = response.headers.first(name: "Api-Version").flatMap(APIVersion.init) ?? Self.maximumAPIVersion
        let version = min(offered, Self.maximumAPIVersion)
        await negotiated.set(version)
        return version
    }

    /// The host's cgroup version (1 or 2) from `GET /info`, asked once.
    func cgroupVersion() async throws -> Int {
        if let known = await hostFacts.cgroupVersion { return known }
        struct Info: Decodable { var CgroupVersion: String? }
        let response = try await send(.GET, path: "/info")
        guard response.status == 200 else { throw engineError(response) }
        let version = try response.decode(Info.self).CgroupVersion == "2" ? 2 : 1
        await hostFacts.setCgroupVersion(version)
        return version
    }

    /// Sends one request and collects the whole response body (at most `maxBody` bytes).
    func send(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], json body: (any Encodable)? = nil,
        versioned: Bool = true, timeout: TimeAmount = defaultTimeout, maxBody: Int = 16 << 20
    ) async throws -> Response {
        var request = try await makeRequest(method, path: path, query: query, versioned: versioned)
        if let body {
            let data = try JSONEncoder().encode(body)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        return try await withTransportErrorsMapped(timeout: timeout) {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            let bytes = try await response.body.collect(upTo: maxBody)
            return Response(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
    }

    /// Sends one request whose response body is consumed as a stream by `handle`.
    func stream<Result>(
        _ request: HTTPClientRequest, timeout: TimeAmount,
        handle: (HTTPClientResponse) async throws -> Result
    ) async throws -> Result {
        try await withTransportErrorsMapped(timeout: timeout) {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            return try await handle(response)
        }
    }

    func makeRequest(_ method: HTTPMethod, path: String, query: [(String, String)] = [], versioned: Bool = true)
        async throws -> HTTPClientRequest
    {
        let prefix = versioned ? try await versionPrefix() : ""
        var url = baseURL + prefix + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        // AsyncHTTPClient sends no Host for http+unix URLs; Go's HTTP server rejects HTTP/1.1 without one.
        request.headers.add(name: "Host", value: "docker")
        return request
    }

    /// The engine's `{"message": …}` as a `RuntimeError.engine`.
    func engineError(_ response: Response) -> RuntimeError {
        .engine(status: response.status, message: Self.message(from: response.body))
    }

    static func message(from body: ByteBuffer) -> String {
        struct ErrorBody: Decodable { var message: String }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body.readableBytesView)) {
            return decoded.message
        }
        return String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body`, turning "cannot reach the socket" failures into `RuntimeError.unavailable`.
    func withTransportErrorsMapped<Result>(timeout: TimeAmount, _ body: () async throws -> Result) async throws
        -> Result
    {
        do {
            return try await body()
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw TransportFailure.classify(error, endpoint: endpoint, timeout: timeout) ?? error
        }
    }

    private static let queryAllowed: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? value
    }
}

/// An Engine API version such as 1.41.
struct APIVersion: Comparable, Sendable, CustomStringConvertible {
    var major: Int
    var minor: Int

    init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return nil }
        self.init(major: major, minor: minor)
    }

    static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    var description: String { "\(major).\(minor)" }
}

private actor NegotiatedVersion {
    private(set) var value: APIVersion?
    func set(_ version: APIVersion) { value = version }
}

private actor HostFacts {
    private(set) var cgroupVersion: Int?
    func setCgroupVersion(_ version: Int) { cgroupVersion = version }
}
