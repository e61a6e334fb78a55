import BreakfixCore

/// How a judge sandbox becomes a container: stricter than a scenario's sandbox, because what runs
/// in it is an anonymous program, not a user at a shell.
enum JudgeContainerConfig {
    /// Label values of `breakfix.kind`.
    static let kindLabel = "breakfix.kind"
    static let submissionKind = "judge"
    static let checkerKind = "judge-checker"

    /// The uid and gid every exec runs as (`nobody`, present in every Debian image). The
    /// container's own processes (docker-init, `sleep infinity`) stay root so that a submission
    /// cannot signal them and stop the container under the judge; with every capability dropped
    /// that root can do nothing a submission could use.
    static let user = "65534:65534"
    static let workDirectory = "/work"
    static let workSize: Int64 = 64 << 20
    static let tmpSize: Int64 = 128 << 20
    static let openFiles: Int64 = 1024
    /// Writable-layer cap when the engine enforces one. The root fs is read-only, so this only
    /// bounds what the engine itself writes; on btrfs it must exceed the image's size.
    static let diskBytes: Int64 = 2 << 30
    /// docker-init and `sleep infinity` count against the pids limit too.
    static let ownProcesses = 2

    struct Limits: Sendable, Equatable {
        var memoryBytes: Int64
        var pids: Int
        var stackBytes: Int64
    }

    static func body(
        image: String, labels: [String: String], kind: String, limits: Limits, enforceDiskLimit: Bool
    ) -> ContainerCreateBody {
        var allLabels = labels
        allLabels[SandboxLabel.managed] = "true"
        allLabels[kindLabel] = kind
        let host = HostConfigBody(
            CapDrop: ["ALL"], CapAdd: [], Privileged: false, NetworkMode: "none",
            Memory: limits.memoryBytes, MemorySwap: limits.memoryBytes,  // equal: no swap
            NanoCpus: 1_000_000_000,  // one CPU: a multi-threaded program cannot starve the judge next to it
            PidsLimit: Int64(limits.pids + ownProcesses),
            Ulimits: [
                UlimitBody(Name: "nofile", Soft: openFiles, Hard: openFiles),
                UlimitBody(Name: "core", Soft: 0, Hard: 0),
                // Deep recursion is normal in contest code: the stack may use the whole memory limit.
                UlimitBody(Name: "stack", Soft: limits.stackBytes, Hard: limits.stackBytes),
            ],
            Tmpfs: tmpfs, Binds: [], Init: true,
            StorageOpt: enforceDiskLimit ? ["size": String(diskBytes)] : nil,
            // Docker's default seccomp profile applies: no `seccomp=` option overrides it.
            SecurityOpt: ["no-new-privileges:true"], ReadonlyRootfs: true)
        // No container WorkingDir: pointing it at the tmpfs makes runc create the mount point with
        // mode 755 (measured), and nobody could then write /work. Execs set their own.
        return ContainerCreateBody(
            Image: image, Hostname: "judge", Labels: allLabels, Cmd: ["/bin/sleep", "infinity"], Env: [],
            StopSignal: nil, HostConfig: host, User: "0:0", NetworkDisabled: true)
    }

    /// `/work` holds the source and what the compiler makes of it, so it must allow exec (Docker's
    /// tmpfs default is noexec); `/tmp` is scratch space and does not.
    static let tmpfs: [String: String] = [
        workDirectory: "rw,exec,nosuid,nodev,size=\(workSize),mode=1777",
        "/tmp": "rw,noexec,nosuid,nodev,size=\(tmpSize),mode=1777",
    ]
}
