// Request and response bodies of the Engine API endpoints this module uses. Property names are
// the engine's own (PascalCase) so that the JSON maps one to one.

struct ContainerCreateBody: Encodable {
    var Image: String
    var Hostname: String
    var Labels: [String: String]
    var Cmd: [String]
    var Env: [String]
    var StopSignal: String?
    var HostConfig: HostConfigBody
    /// The user of the container's own process (the judge keeps it root and runs execs as nobody).
    var User: String? = nil
    var NetworkDisabled: Bool? = nil
    var WorkingDir: String? = nil
}

/// `POST /containers/{id}/update`: the judge raises the limits for the compiler, then lowers them.
struct ContainerUpdateBody: Encodable {
    var Memory: Int64
    var MemorySwap: Int64
    var PidsLimit: Int64
}

struct NetworkCreateBody: Encodable {
    var Name: String
    var Driver: String
    var Internal: Bool
    var Labels: [String: String]
    var Options: [String: String]
    var CheckDuplicate = true
}

struct HostConfigBody: Encodable {
    var CapDrop: [String]
    var CapAdd: [String]
    var Privileged: Bool
    var NetworkMode: String
    var Memory: Int64
    var MemorySwap: Int64
    var NanoCpus: Int64
    var PidsLimit: Int64
    var Ulimits: [UlimitBody]
    var Tmpfs: [String: String]
    var Binds: [String]
    var Init: Bool?
    var CgroupnsMode: String?
    var StorageOpt: [String: String]?
    var SecurityOpt: [String]?
    var ReadonlyRootfs: Bool? = nil
}

struct UlimitBody: Codable, Sendable, Equatable {
    var Name: String
    var Soft: Int64
    var Hard: Int64
}

struct ExecCreateBody: Encodable {
    var AttachStdin: Bool
    var AttachStdout = true
    var AttachStderr = true
    var Tty: Bool
    var Cmd: [String]
    var Env: [String]
    var User: String?
    var WorkingDir: String?
}

struct ExecStartBody: Encodable {
    var Detach = false
    var Tty: Bool
}

struct IdResponse: Decodable {
    var Id: String
}

struct ExecInspectResponse: Decodable {
    var Running: Bool
    var ExitCode: Int32?
    /// The exec's process as a host pid, once started.
    var Pid: Int32?
}

struct ContainerSummaryResponse: Decodable {
    var Id: String
    var Names: [String]?
    var Image: String
    var State: String
    var Labels: [String: String]?
}
