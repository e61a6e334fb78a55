/// The parts of `GET /containers/{id}/json` that tell how a sandbox is confined, so that tests
/// and operators can check what the engine really applied.
public struct ContainerInspection: Sendable, Decodable, Equatable {
    public var id: String
    public var name: String
    public var state: State
    public var config: Config
    public var hostConfig: HostConfig

    public struct State: Sendable, Decodable, Equatable {
        public var status: String
        public var running: Bool
        public var pid: Int?

        enum CodingKeys: String, CodingKey {
            case status = "Status", running = "Running", pid = "Pid"
        }
    }

    public struct Config: Sendable, Decodable, Equatable {
        public var image: String
        public var hostname: String
        public var labels: [String: String]
        public var cmd: [String]
        public var env: [String]
        public var stopSignal: String?

        enum CodingKeys: String, CodingKey {
            case image = "Image", hostname = "Hostname", labels = "Labels", cmd = "Cmd", env = "Env"
            case stopSignal = "StopSignal"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            image = try container.decode(String.self, forKey: .image)
            hostname = try container.decode(String.self, forKey: .hostname)
            labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
            cmd = try container.decodeIfPresent([String].self, forKey: .cmd) ?? []
            env = try container.decodeIfPresent([String].self, forKey: .env) ?? []
            stopSignal = try container.decodeIfPresent(String.self, forKey: .stopSignal)
        }
    }

    public struct Ulimit: Sendable, Decodable, Equatable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        enum CodingKeys: String, CodingKey {
            case name = "Name", soft = "Soft", hard = "Hard"
        }
    }

    public struct HostConfig: Sendable, Decodable, Equatable {
        public var capAdd: [String]
        public var capDrop: [String]
        public var privileged: Bool
        public var networkMode: String
        public var memory: Int64
        public var memorySwap: Int64
        public var nanoCpus: Int64
        public var pidsLimit: Int64?
        public var ulimits: [Ulimit]
        public var tmpfs: [String: String]
        public var binds: [String]
        public var initProcess: Bool?
        public var securityOpt: [String]
        public var storageOpt: [String: String]
        public var cgroupnsMode: String?

        enum CodingKeys: String, CodingKey {
            case capAdd = "CapAdd", capDrop = "CapDrop", privileged = "Privileged", networkMode = "NetworkMode"
            case memory = "Memory", memorySwap = "MemorySwap", nanoCpus = "NanoCpus", pidsLimit = "PidsLimit"
            case ulimits = "Ulimits", tmpfs = "Tmpfs", binds = "Binds", initProcess = "Init"
            case securityOpt = "SecurityOpt", storageOpt = "StorageOpt", cgroupnsMode = "CgroupnsMode"
        }

        // The engine writes `null` rather than `[]`/`{}` for lists and maps it has nothing in.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            capAdd = try container.decodeIfPresent([String].self, forKey: .capAdd) ?? []
            capDrop = try container.decodeIfPresent([String].self, forKey: .capDrop) ?? []
            privileged = try container.decodeIfPresent(Bool.self, forKey: .privileged) ?? false
            networkMode = try container.decodeIfPresent(String.self, forKey: .networkMode) ?? ""
            memory = try container.decodeIfPresent(Int64.self, forKey: .memory) ?? 0
            memorySwap = try container.decodeIfPresent(Int64.self, forKey: .memorySwap) ?? 0
            nanoCpus = try container.decodeIfPresent(Int64.self, forKey: .nanoCpus) ?? 0
            pidsLimit = try container.decodeIfPresent(Int64.self, forKey: .pidsLimit)
            ulimits = try container.decodeIfPresent([Ulimit].self, forKey: .ulimits) ?? []
            tmpfs = try container.decodeIfPresent([String: String].self, forKey: .tmpfs) ?? [:]
            binds = try container.decodeIfPresent([String].self, forKey: .binds) ?? []
            initProcess = try container.decodeIfPresent(Bool.self, forKey: .initProcess)
            securityOpt = try container.decodeIfPresent([String].self, forKey: .securityOpt) ?? []
            storageOpt = try container.decodeIfPresent([String: String].self, forKey: .storageOpt) ?? [:]
            cgroupnsMode = try container.decodeIfPresent(String.self, forKey: .cgroupnsMode)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", state = "State", config = "Config", hostConfig = "HostConfig"
    }
}
