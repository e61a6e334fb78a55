/// The engine cannot cap a sandbox's disk, so Breakfix refuses to start one (the operator may opt
/// out with `BREAKFIX_DISK_CAP=off`). Docker enforces `--storage-opt size=` only with overlay2 on
/// XFS mounted with `pquota`, btrfs (with quotas enabled), zfs or devicemapper.
public struct DiskCapUnsupported: Error, Sendable, Equatable, CustomStringConvertible {
    public var engineMessage: String

    public init(engineMessage: String) { self.engineMessage = engineMessage }

    public var description: String {
        "This Docker engine cannot cap a sandbox's disk (\(engineMessage)), so Breakfix will not start sandboxes on it: give Docker a data root that enforces `size` (`make setup` prepares a btrfs one when it starts dockerd itself; README, Disk cap) or set BREAKFIX_DISK_CAP=off to run without a cap."
    }

    /// The engine's answer to a `size` storage option it cannot honour, as opposed to any other error.
    static func isStorageOptRefusal(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.contains("storage-opt") || lower.contains("storage opt") || lower.contains("storageopt")
            || lower.contains("qgroup") || lower.contains("quota")
    }
}

/// `BREAKFIX_DISK_CAP`: `on` (default) asks the engine for a `size` cap on every sandbox and refuses
/// sandboxes when it cannot; `off` runs without one (the operator accepts that a user can fill the
/// engine's disk).
public enum DiskCapMode: String, Sendable {
    case on, off

    public static func fromEnvironment(_ environment: [String: String]) throws -> DiskCapMode {
        guard let raw = environment["BREAKFIX_DISK_CAP"], !raw.isEmpty else { return .on }
        switch raw.lowercased() {
        case "on", "1", "true", "yes": return .on
        case "off", "0", "false", "no": return .off
        default: throw InvalidSetting(name: "BREAKFIX_DISK_CAP", value: raw, expected: "on or off")
        }
    }
}

/// An environment variable with a value that means nothing.
public struct InvalidSetting: Error, Sendable, Equatable, CustomStringConvertible {
    public var name, value, expected: String
    public init(name: String, value: String, expected: String) {
        self.name = name
        self.value = value
        self.expected = expected
    }
    public var description: String { "\(name)=\(value) is not valid; expected \(expected)." }
}
