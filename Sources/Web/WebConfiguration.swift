import Foundation

/// Server settings, read from the environment in one place (flags override them).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: URL
    public var scenariosDirectory: URL
    /// `postgres://…`, or nil for the SQLite file in the data directory.
    public var databaseURL: String?
    /// Cookies get `Secure` (set when served behind TLS).
    public var secureCookies: Bool
    public var maxLiveSessionsPerUser: Int
    public var workers: Int
    /// Bcrypt cost for new passwords.
    public var bcryptCost: UInt8
    /// Folder with xterm.js (`scripts/fetch-xterm.sh` fills it).
    public var vendorDirectory: URL
    /// How users reach this server (`https://breakfix.example.org`), for the links an interview
    /// hands out; nil uses the request's Host header.
    public var publicURL: String?
    /// Recordings older than this many days are deleted (live sessions' never).
    public var recordingRetentionDays: Int = 30
    /// Addresses of reverse proxies whose `X-Forwarded-Proto: https` makes cookies `Secure`.
    public var trustedProxies: Set<String> = []
    /// Live sessions of all users together (`BREAKFIX_MAX_SANDBOXES`); nil: no cap.
    public var maxSandboxes: Int?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL = URL(fileURLWithPath: "data"),
        scenariosDirectory: URL = URL(fileURLWithPath: "scenarios"), databaseURL: String? = nil,
        secureCookies: Bool = false, maxLiveSessionsPerUser: Int = 1, workers: Int = 2, bcryptCost: UInt8 = 11,
        vendorDirectory: URL = URL(fileURLWithPath: "vendor")
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.scenariosDirectory = scenariosDirectory
        self.databaseURL = databaseURL
        self.secureCookies = secureCookies
        self.maxLiveSessionsPerUser = maxLiveSessionsPerUser
        self.workers = workers
        self.bcryptCost = bcryptCost
        self.vendorDirectory = vendorDirectory
    }

    /// `BREAKFIX_HOST`, `BREAKFIX_PORT`, `BREAKFIX_DATA_DIR`, `BREAKFIX_SCENARIOS`, `DATABASE_URL`,
    /// `BREAKFIX_SECURE_COOKIES`, `BREAKFIX_MAX_LIVE_SESSIONS`, `BREAKFIX_WORKERS`, `BREAKFIX_VENDOR_DIR`,
    /// `BREAKFIX_PUBLIC_URL`, `BREAKFIX_RECORDING_DAYS`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> WebConfiguration {
        var c = WebConfiguration()
        if let v = env["BREAKFIX_HOST"] { c.host = v }
        if let v = env["BREAKFIX_PORT"].flatMap(Int.init) { c.port = v }
        if let v = env["BREAKFIX_DATA_DIR"] { c.dataDirectory = URL(fileURLWithPath: v) }
        if let v = env["BREAKFIX_SCENARIOS"] { c.scenariosDirectory = URL(fileURLWithPath: v) }
        if let v = env["DATABASE_URL"], !v.isEmpty { c.databaseURL = v }
        if let v = env["BREAKFIX_SECURE_COOKIES"] { c.secureCookies = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = env["BREAKFIX_MAX_LIVE_SESSIONS"].flatMap(Int.init) { c.maxLiveSessionsPerUser = max(1, v) }
        if let v = env["BREAKFIX_WORKERS"].flatMap(Int.init) { c.workers = max(1, v) }
        if let v = env["BREAKFIX_VENDOR_DIR"] { c.vendorDirectory = URL(fileURLWithPath: v) }
        if let v = env["BREAKFIX_PUBLIC_URL"], !v.isEmpty { c.publicURL = v }
        if let v = env["BREAKFIX_RECORDING_DAYS"].flatMap(Int.init) { c.recordingRetentionDays = max(1, v) }
        if let v = env["BREAKFIX_MAX_SANDBOXES"].flatMap(Int.init), v > 0 { c.maxSandboxes = v }
        if let v = env["BREAKFIX_TRUSTED_PROXIES"] {
            c.trustedProxies = Set(v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return c
    }
}
