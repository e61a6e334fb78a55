import Foundation

public enum Difficulty: String, Sendable, Codable, CaseIterable, Comparable {
    case easy, medium, hard

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Difficulty, rhs: Difficulty) -> Bool { lhs.rank < rhs.rank }
}

/// The metadata of one scenario, as an author wrote it in `scenario.yaml`.
public struct Scenario: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var area: String?
    public var difficulty: Difficulty
    public var timeLimit: Duration
    public var tags: [String]
    public var initKind: InitKind
    /// The login user of the terminal (`root` or a user with sudo).
    public var user: String
    public var limits: ResourceLimits
    public var network: NetworkPolicy
    public var extraTmpfs: [String: Int64]
    public var description: String
    public var clues: [String]
    public var solutionNotes: String

    public init(
        slug: String, title: String, area: String? = nil, difficulty: Difficulty, timeLimit: Duration,
        tags: [String] = [], initKind: InitKind = .shell, user: String = "admin",
        limits: ResourceLimits = .default, network: NetworkPolicy = .none, extraTmpfs: [String: Int64] = [:],
        description: String, clues: [String] = [], solutionNotes: String = ""
    ) {
        self.slug = slug
        self.title = title
        self.area = area
        self.difficulty = difficulty
        self.timeLimit = timeLimit
        self.tags = tags
        self.initKind = initKind
        self.user = user
        self.limits = limits
        self.network = network
        self.extraTmpfs = extraTmpfs
        self.description = description
        self.clues = clues
        self.solutionNotes = solutionNotes
    }

    public var timeLimitSeconds: Int { Int(timeLimit.components.seconds) }

    /// The home directory the terminal opens in.
    public var homeDirectory: String { user == "root" ? "/root" : "/home/\(user)" }
}

/// A scenario together with its scripts and where its image comes from.
public struct ScenarioBundle: Sendable, Equatable {
    public var scenario: Scenario
    /// The scenario's folder (holds the Dockerfile and `files/`).
    public var directory: URL
    public var startScript: [UInt8]?
    public var checkScript: [UInt8]
    public var solutionScript: [UInt8]?
    /// A hash of everything that goes into the image build (the folder minus the secret scripts).
    public var contentHash: String

    public init(
        scenario: Scenario, directory: URL, startScript: [UInt8]?, checkScript: [UInt8],
        solutionScript: [UInt8]?, contentHash: String
    ) {
        self.scenario = scenario
        self.directory = directory
        self.startScript = startScript
        self.checkScript = checkScript
        self.solutionScript = solutionScript
        self.contentHash = contentHash
    }

    /// Files that never enter the image build context, so that no Dockerfile can copy them.
    public static let secretFiles: Set<String> = ["check.sh", "solution.sh"]

    /// The image tag: the slug plus the content hash, so an edit gives a new image.
    public var imageTag: String { "breakfix-scenario/\(scenario.slug):\(contentHash.prefix(16))" }
}
