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

    /// systemd as PID 1 needs a writable `name=systemd` cgroup hierarchy; on a cgroup v1 host it
    /// cannot boot without one unless it holds CAP_SYS_ADMIN. Measured here (images/README.md):
    /// - private cgroupns, no bind: "Failed to create /init.scope control group: Read-only file system".
    /// - `-v /sys/fs/cgroup:/sys/fs/cgroup:ro`: boots, but `:ro` is not recursive; root inside could
    ///   raise its own pids.max and write other containers' cgroups. Never use it.
    /// - a per-sandbox subtree (`CgroupParent /breakfix-<id>`, private cgroupns, only that subtree
    ///   bound): boots, but the namespace root (the container's group) is one level below the
    ///   mounted root, so systemd misplaces its units' cgroups and refuses forking services'
    ///   main PIDs ("New main PID … does not belong to service": PostgreSQL never starts).
    /// - chosen: host cgroupns and only the controller-less `name=systemd` hierarchy read-write.
    ///   Every controller (memory, pids, cpu) stays read-only, so no limit can be raised; what is
    ///   left is that a sandbox sees, and could disturb, other sandboxes' *tracking* groups in that
    ///   hierarchy (a denial of service on systemd sandboxes, not an escape). README, Security.
    static let systemdCgroupV1Bind = "/sys/fs/cgroup/systemd:/sys/fs/cgroup/systemd:rw"

    /// The Docker network of a `network: session` sandbox: one per session (its session label).
    static let sessionNetworkPrefix = "breakfix-net-"

    static func sessionNetworkName(_ spec: SandboxSpec) -> String {
        sessionNetworkPrefix + (spec.labels[SandboxLabel.session] ?? spec.name ?? "unnamed")
            .filter { $0.isLetter || $0.isNumber || $0 == "-" }.prefix(64)
    }

    /// The network's settings: `Internal` (no gateway, no NAT, no route out) and no IPv4 address
    /// on the host's side of the bridge (`inhibit_ipv4`), so a sandbox reaches neither the world
    /// nor the host's services, only the other sandboxes of its session. Measured here: with both,
    /// a listener on the host's addresses (docker0's, the LAN's, the bridge's would-be gateway)
    /// is unreachable from inside; the session's other sandbox answers.
    static func sessionNetworkBody(_ spec: SandboxSpec) -> NetworkCreateBody {
        var labels = spec.labels.filter { $0.key != SandboxLabel.scenario }
        labels[SandboxLabel.managed] = "true"
        return NetworkCreateBody(
            Name: sessionNetworkName(spec), Driver: "bridge", Internal: true, Labels: labels,
            Options: ["com.docker.network.bridge.inhibit_ipv4": "true", "com.docker.network.bridge.enable_icc": "true"])
    }

    static func body(for spec: SandboxSpec, enforceDiskLimit: Bool, cgroupVersion: Int) throws
        -> ContainerCreateBody
    {
        guard spec.network != .packages else { throw Unsupported.packageNetwork }
        let limits = spec.limits
        var labels = spec.labels
        labels[SandboxLabel.managed] = "true"

        var host = HostConfigBody(
            CapDrop: ["ALL"], CapAdd: capabilities, Privileged: false,
            NetworkMode: spec.network == .session ? sessionNetworkName(spec) : "none",
            Memory: limits.memoryBytes, MemorySwap: limits.memoryBytes,  // equal: no swap on top
            NanoCpus: Int64((limits.cpus * 1e9).rounded()), PidsLimit: Int64(limits.pids),
            Ulimits: [UlimitBody(Name: "nofile", Soft: Int64(limits.openFiles), Hard: Int64(limits.openFiles))],
            Tmpfs: tmpfs(spec.tmpfsMounts), Binds: [],
            StorageOpt: enforceDiskLimit ? ["size": String(limits.diskBytes)] : nil)
        // Docker's default seccomp profile applies because no `seccomp=` option overrides it.
        if spec.noNewPrivileges { host.SecurityOpt = ["no-new-privileges:true"] }

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
