import BreakfixCore
import DockerRuntime
import Foundation
import Scenarios

/// The operator's sandbox settings from the environment: the maxima that scenario limits are
/// clamped to, and whether a disk cap is required.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `BREAKFIX_MAX_MEMORY` | memory (no swap) | `2g` |
/// | `BREAKFIX_MAX_CPUS` | CPUs | `2` |
/// | `BREAKFIX_MAX_PIDS` | processes | `1024` |
/// | `BREAKFIX_MAX_OPEN_FILES` | `nofile` ulimit | `65536` |
/// | `BREAKFIX_MAX_DISK` | writable layer (with the image, on btrfs) | `8g` |
/// | `BREAKFIX_MAX_TMPFS` | each tmpfs mount | `256m` |
/// | `BREAKFIX_DISK_CAP` | `on` or `off` | `on` |
struct SandboxSettings: Equatable {
    var maximum: ResourceLimits
    var diskCap: DiskCapMode

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> SandboxSettings
    {
        var maximum = ResourceLimits.operatorMaximum
        func size(_ name: String) throws -> Int64? {
            guard let raw = environment[name], !raw.isEmpty else { return nil }
            guard let bytes = Units.parseSize(raw), bytes > 0 else {
                throw InvalidSetting(name: name, value: raw, expected: "a size such as 512m or 2g")
            }
            return bytes
        }
        func count(_ name: String) throws -> Int? {
            guard let raw = environment[name], !raw.isEmpty else { return nil }
            guard let value = Int(raw), value > 0 else {
                throw InvalidSetting(name: name, value: raw, expected: "a positive whole number")
            }
            return value
        }
        if let value = try size("BREAKFIX_MAX_MEMORY") { maximum.memoryBytes = value }
        if let value = try size("BREAKFIX_MAX_DISK") { maximum.diskBytes = value }
        if let value = try size("BREAKFIX_MAX_TMPFS") { maximum.tmpfsBytes = value }
        if let value = try count("BREAKFIX_MAX_PIDS") { maximum.pids = value }
        if let value = try count("BREAKFIX_MAX_OPEN_FILES") { maximum.openFiles = value }
        if let raw = environment["BREAKFIX_MAX_CPUS"], !raw.isEmpty {
            guard let value = Double(raw), value > 0, value.isFinite else {
                throw InvalidSetting(name: "BREAKFIX_MAX_CPUS", value: raw, expected: "a positive number such as 0.5 or 2")
            }
            maximum.cpus = value
        }
        return SandboxSettings(maximum: maximum, diskCap: try DiskCapMode.fromEnvironment(environment))
    }
}
