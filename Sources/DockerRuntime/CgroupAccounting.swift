import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One container's cgroup, read and written from the engine's host: the judge's CPU time, peak
/// memory and OOM kills come from here, and so does the list of processes to kill when a test
/// ends. The paths are found from the container's init pid (`/proc/<pid>/cgroup` and this
/// process's mount table), so any cgroup parent or driver works.
///
/// Requires root on the engine's host, in the host's PID namespace (the init pid Docker reports
/// is a host pid) and with the host's `/sys/fs/cgroup`: a judge worker runs next to its engine.
struct CgroupAccounting: Sendable {
    enum Version: Sendable, Equatable { case v1, v2 }

    let version: Version
    /// v1: the `cpuacct` group; v2: the unified group (all four are the same folder on v2).
    let cpuDirectory: String
    let memoryDirectory: String
    /// v1: the `pids` group, whose `cgroup.procs` lists every process of the container.
    let processDirectory: String
    /// v1: the `freezer` group, if that controller is mounted; v2: the unified group.
    let freezerDirectory: String?

    struct Unavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String {
            "The judge cannot read the container's cgroup (\(reason)). It measures CPU time and memory there: run the judge worker as root on the Docker engine's own host, with the host's /proc and /sys/fs/cgroup."
        }
    }

    /// The cgroup of the process `pid` (a host pid).
    static func of(pid: Int32) throws -> CgroupAccounting {
        guard let membership = try? readText("/proc/\(pid)/cgroup") else {
            throw Unavailable(reason: "cannot read /proc/\(pid)/cgroup")
        }
        guard let mounts = try? readText("/proc/self/mountinfo") else {
            throw Unavailable(reason: "cannot read /proc/self/mountinfo")
        }
        return try resolve(membership: membership, mountinfo: mounts)
    }

    /// Pure: maps the lines of `/proc/<pid>/cgroup` onto the cgroup mounts of `mountinfo`.
    static func resolve(membership: String, mountinfo: String) throws -> CgroupAccounting {
        var v1Paths: [String: String] = [:]
        var unifiedPath: String?
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                unifiedPath = String(parts[2])
            } else {
                for controller in parts[1].split(separator: ",") { v1Paths[String(controller)] = String(parts[2]) }
            }
        }
        var v1Mounts: [String: (root: String, point: String)] = [:]
        var unifiedMount: (root: String, point: String)?
        for line in mountinfo.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3 else { continue }
            let mount = (root: unescape(String(fields[3])), point: unescape(String(fields[4])))
            switch tail[0] {
            case "cgroup":
                for option in tail[2].split(separator: ",") where v1Mounts[String(option)] == nil {
                    v1Mounts[String(option)] = mount
                }
            case "cgroup2":
                if unifiedMount == nil { unifiedMount = mount }
            default: continue
            }
        }

        func directory(_ path: String, in mount: (root: String, point: String)) throws -> String {
            var relative = path
            if mount.root != "/" {
                guard path == mount.root || path.hasPrefix(mount.root + "/") else {
                    throw Unavailable(reason: "the cgroup \(path) is outside the mount of \(mount.root)")
                }
                relative = String(path.dropFirst(mount.root.count))
            }
            return mount.point + (relative == "/" ? "" : relative)
        }

        // A hybrid host (controllers on v1, an empty unified tree beside them) counts as v1.
        if let memory = v1Paths["memory"] {
            func controller(_ name: String) throws -> String {
                guard let path = v1Paths[name], let mount = v1Mounts[name] else {
                    throw Unavailable(reason: "the \(name) controller is not mounted")
                }
                return try directory(path, in: mount)
            }
            guard let memoryMount = v1Mounts["memory"] else {
                throw Unavailable(reason: "memory controller not mounted")
            }
            return CgroupAccounting(
                version: .v1, cpuDirectory: try controller("cpuacct"),
                memoryDirectory: try directory(memory, in: memoryMount),
                processDirectory: try controller("pids"), freezerDirectory: try? controller("freezer"))
        }
        guard let unifiedPath, let unifiedMount else {
            throw Unavailable(reason: "no memory controller in either cgroup version")
        }
        let unified = try directory(unifiedPath, in: unifiedMount)
        return CgroupAccounting(
            version: .v2, cpuDirectory: unified, memoryDirectory: unified, processDirectory: unified,
            freezerDirectory: unified)
    }

    // MARK: Measuring

    /// CPU time of every process of the group so far, in nanoseconds.
    func cpuNanoseconds() throws -> UInt64 {
        switch version {
        case .v1:
            return UInt64(
                try Self.readText(cpuDirectory + "/cpuacct.usage").trimmingCharacters(in: .whitespacesAndNewlines))
                ?? 0
        case .v2:
            let micros = Self.field("usage_usec", in: try Self.readText(cpuDirectory + "/cpu.stat")) ?? 0
            return UInt64(max(0, micros)) * 1000
        }
    }

    /// Memory charged to the group now (anonymous memory, tmpfs files and page cache).
    func memoryBytes() throws -> Int64 {
        let file = version == .v1 ? "/memory.usage_in_bytes" : "/memory.current"
        return Int64(try Self.readText(memoryDirectory + file).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Memory the kernel cannot reclaim: anonymous memory and tmpfs files, without page cache.
    /// (Page cache is charged to the group too, so a program that reads many files reaches the
    /// group's limit without needing the memory; the kernel then drops cache instead of killing.)
    func unreclaimableBytes() throws -> Int64 {
        let stat = try Self.readText(memoryDirectory + "/memory.stat")
        switch version {
        case .v1: return (Self.field("total_rss", in: stat) ?? 0) + (Self.field("total_shmem", in: stat) ?? 0)
        case .v2: return (Self.field("anon", in: stat) ?? 0) + (Self.field("shmem", in: stat) ?? 0)
        }
    }

    /// Drops the group's page cache beyond `keeping` bytes, best effort (v1: by lowering the
    /// limit for a moment, which makes the kernel reclaim; the caller sets the real limit next).
    func dropPageCache(keeping bytes: Int64) {
        guard version == .v1 else {
            try? Self.writeText(memoryDirectory + "/memory.reclaim", String(max(0, (try? memoryBytes()) ?? 0) - bytes))
            return
        }
        try? Self.writeText(memoryDirectory + "/memory.limit_in_bytes", String(bytes))
    }

    /// Starts a peak measurement from the current usage.
    func startPeak() -> PeakMeter {
        switch version {
        case .v1:
            // Writing to max_usage_in_bytes sets it back to the current usage.
            try? Self.writeText(memoryDirectory + "/memory.max_usage_in_bytes", "0")
            return PeakMeter(path: memoryDirectory + "/memory.max_usage_in_bytes", descriptor: nil)
        case .v2:
            // memory.peak is reset per open file (kernel 6.12+): keep the descriptor and read it again.
            let path = memoryDirectory + "/memory.peak"
            let descriptor = open(path, O_RDWR | O_CLOEXEC)
            if descriptor >= 0, write(descriptor, "0", 1) == 1 {
                return PeakMeter(path: path, descriptor: descriptor)
            }
            if descriptor >= 0 { close(descriptor) }
            return PeakMeter(path: nil, descriptor: nil)
        }
    }

    /// How many times the kernel's OOM killer has killed a process of the group.
    func oomKills() -> Int {
        let file = version == .v1 ? "/memory.oom_control" : "/memory.events"
        guard let text = try? Self.readText(memoryDirectory + file) else { return 0 }
        return Int(Self.field("oom_kill", in: text) ?? 0)
    }

    // MARK: Processes

    /// Host pids of the group's processes.
    func processes() throws -> [Int32] {
        try Self.readText(processDirectory + "/cgroup.procs").split(separator: "\n").compactMap { Int32($0) }
    }

    /// Kills every process of the group except `keep` (the container's own init processes), and
    /// waits until they are gone. The group is frozen while the list is read and the signals
    /// sent, so a fork bomb cannot add processes faster than they are killed. Returns false if
    /// some survived (a process stuck in the kernel).
    @discardableResult
    func killAll(except keep: Set<Int32>, within limit: Duration = .seconds(5)) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            guard let listed = try? processes() else { return false }
            let victims = listed.filter { !keep.contains($0) && Self.isAlive($0) }
            if victims.isEmpty { return true }
            let frozen = freeze(true)
            for pid in (try? processes()) ?? victims where !keep.contains(pid) {
                kill(pid, SIGKILL)
            }
            if frozen { _ = freeze(false) }
            usleep(1000)
        }
        return false
    }

    /// Freezes or thaws the group; false when this host has no freezer for it.
    private func freeze(_ frozen: Bool) -> Bool {
        guard let directory = freezerDirectory else { return false }
        switch version {
        case .v1:
            guard (try? Self.writeText(directory + "/freezer.state", frozen ? "FROZEN" : "THAWED")) != nil else {
                return false
            }
            guard frozen else { return true }
            for _ in 0..<100 {
                if (try? Self.readText(directory + "/freezer.state"))?.hasPrefix("FROZEN") == true { return true }
                usleep(500)
            }
            return true
        case .v2:
            guard (try? Self.writeText(directory + "/cgroup.freeze", frozen ? "1" : "0")) != nil else { return false }
            guard frozen else { return true }
            for _ in 0..<100 {
                if let events = try? Self.readText(directory + "/cgroup.events"), Self.field("frozen", in: events) == 1
                {
                    return true
                }
                usleep(500)
            }
            return true
        }
    }

    /// True unless the process is gone or a zombie waiting for its parent.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// The direct children of a process, read from `/proc/<pid>/task/*/children`.
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task in
            ((try? readText("/proc/\(pid)/task/\(task)/children")) ?? "").split(separator: " ").compactMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    // MARK: Files

    /// Reads a small kernel file whole (sysfs and procfs report no size, so no `stat`).
    static func readText(_ path: String) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Unavailable(reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        return try readAll(descriptor, path: path, fromStart: false)
    }

    static func readAll(_ descriptor: Int32, path: String, fromStart: Bool) throws -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                fromStart
                    ? pread(descriptor, buffer.baseAddress, buffer.count, offset)
                    : read(descriptor, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Unavailable(reason: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeText(_ path: String, _ text: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Unavailable(reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count else {
            throw Unavailable(reason: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The number after `key ` on its own line (`oom_kill 3`, `usage_usec 1200`).
    static func field(_ key: String, in text: String) -> Int64? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int64(parts[1]) }
        }
        return nil
    }

    /// mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var result: [UInt8] = []
        let bytes = Array(field.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                result.append(value)
                index += 4
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// The peak memory of a group since `CgroupAccounting.startPeak()`.
final class PeakMeter: @unchecked Sendable {
    // Immutable after init; the descriptor is only read with pread and closed in deinit.
    private let path: String?
    private let descriptor: Int32?

    init(path: String?, descriptor: Int32?) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// The peak in bytes; nil when this kernel cannot measure one (v2 before 6.12).
    func read() -> Int64? {
        let text: String?
        if let descriptor {
            text = try? CgroupAccounting.readAll(descriptor, path: path ?? "", fromStart: true)
        } else if let path {
            text = try? CgroupAccounting.readText(path)
        } else {
            text = nil
        }
        return text.flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
