import BreakfixCore

/// How a `SandboxSpec` becomes a container: the security defaults of DESIGN.md in one place.
enum SandboxContainerConfig {
    /// Every capability is dropped, then only these are given back: what systemd and ordinary
    /// administration need. Anything not listed (SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_MODULE,
    /// SYS_TIME, …) stays out.
    static let capabilities: [String] = [
        "CHOWN",  // chown files: package installs, fixing ownership is a classic exercise
        "DAC_OVERRIDE",  // root reads/writes any file regardless of its mode, as admins expect
        "FOWNER",  // chmod/touch files root does not own
        "FSETID",  // keep setuid/setgid bits when root edits such files
        "KILL",  // signal other users' processes (kill a runaway service)
        "SETGID",  // sudo, su, login and daemons switching group
        "SETUID",  // sudo, su, login and daemons switching user
        "SETPCAP",  // systemd and daemons dropping capabilities from their own bounding set
        "NET_BIND_SERVICE",  // services listening on ports below 1024 (nginx on 80)
        "SYS_CHROOT",  // chroot: sshd privilege separation, systemd RootDirectory=
        "AUDIT_WRITE",  // sudo, su and login write audit records and fail without it
        "MKNOD",  // device nodes: systemd PrivateDevices=, mknod in scenarios
        "SYS_PTRACE",  // lsof/strace of other users' processes (DESIGN.md); the PID namespace keeps it inside
    ]

    /// Refuses what this runtime cannot give yet.
    enum Unsupported: Error, CustomStringConvertible {
        case packageNetwork

        var description: String {
            switch self {
            case .packageNetwork:
                return
                    "The package network is not configured yet on this host, so a sandbox with `network: packages` cannot be created; use `network: none`."
            }
        }
    }

    /// The only host path a sandbox ever sees, and only with systemd on a cgroup v1 host.
    ///
    /// Measured on this host (Docker 20.10, runc 1.1, cgroup v1 hybrid, systemd 252):
    /// - `CgroupnsMode: private`, no bind: systemd exits at once, "Failed to create /init.scope
    ///   control group: Read-only file system" (the engine mounts every v1 hierarchy read-only).
    /// - `/sys/fs/cgroup:/sys/fs/cgroup:ro`: boots, but `ro` only applies to the top tmpfs, not to
    ///   the hierarchies mounted under it (no recursive read-only before Docker 25), so root in the
    ///   sandbox could write `pids.max` of its own and of every other container (measured: raised
    ///   its own from 100 to 1000) or freeze them. Rejected.
    /// - host cgroup namespace + only the controller-less `name=systemd` hierarchy writable: boots
    ///   to `running`, units restart, `stop` takes 0.2 s, and every controller (memory, pids, cpu,
    ///   freezer…) stays read-only, so no limit can be raised. The sandbox can see the names of
    ///   other containers' systemd-tracking cgroups there, which carry no limits. Kept.
    /// On a cgroup v2 host systemd runs in a private cgroup namespace without any bind.
    static let systemdCgroupV1Bind = "/sys/fs/cgroup/systemd:/sys/fs/cgroup/systemd:rw"

    static func body(for spec: SandboxSpec, enforceDiskLimit: Bool, cgroupVersion: Int) throws
        -> ContainerCreateBody
    {
        guard spec.network == .none else { throw Unsupported.packageNetwork }
        let limits = spec.limits
        var labels = spec.labels
        labels[SandboxLabel.managed] = "true"

        var host = HostConfigBody(
            CapDrop: ["ALL"], CapAdd: capabilities, Privileged: false, NetworkMode: "none",
            Memory: limits.memoryBytes, MemorySwap: limits.memoryBytes,  // equal: no swap on top
            NanoCpus: Int64((limits.cpus * 1e9).rounded()), PidsLimit: Int64(limits.pids),
            Ulimits: [UlimitBody(Name: "nofile", Soft: Int64(limits.openFiles), Hard: Int64(limits.openFiles))],
            Tmpfs: tmpfs(spec.tmpfsMounts), Binds: [],
            StorageOpt: enforceDiskLimit ? ["size": String(limits.diskBytes)] : nil)

        let command: [String]
        var environment: [String] = []
        var stopSignal: String?
        switch spec.initKind {
        case .shell:
            command = ["/bin/sleep", "infinity"]
            host.Init = true  // docker-init as PID 1 reaps the zombies that sleep would leave
        case .systemd:
            command = ["/lib/systemd/systemd"]
            environment = ["container=docker"]
            stopSignal = "SIGRTMIN+3"  // systemd's "halt" signal; SIGTERM would make it re-execute
            if cgroupVersion == 1 {
                host.CgroupnsMode = "host"
                host.Binds = [systemdCgroupV1Bind]
            } else {
                host.CgroupnsMode = "private"
            }
        }
        return ContainerCreateBody(
            Image: spec.image, Hostname: spec.hostname, Labels: labels, Cmd: command, Env: environment,
            StopSignal: stopSignal, HostConfig: host)
    }

    static func tmpfs(_ mounts: [String: Int64]) -> [String: String] {
        mounts.reduce(into: [:]) { options, mount in
            var value = "rw,nosuid,nodev,size=\(mount.value)"
            if mount.key == "/tmp" { value += ",mode=1777" }
            options[mount.key] = value
        }
    }
}
