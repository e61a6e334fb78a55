import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

/// Hardening that the abuse suite relies on, against the real dockerd.
@Suite struct HardeningTests {
    @Test func noNewPrivilegesWhenAskedAndOnlyThen() async throws {
        try await withRuntime { runtime in
            var spec = testSpec(tag: uniqueTag("nnp"))
            spec.noNewPrivileges = true
            try await withSandbox(runtime, spec) { id in
                #expect(try await runtime.inspect(id).hostConfig.securityOpt.contains("no-new-privileges:true"))
                let status = try await runtime.exec(id, .shell("grep NoNewPrivs /proc/self/status"))
                #expect(status.stdoutText.contains("NoNewPrivs:\t1"))
            }
            try await withSandbox(runtime, testSpec(tag: uniqueTag("nnp-off"))) { id in
                let status = try await runtime.exec(id, .shell("grep NoNewPrivs /proc/self/status"))
                #expect(status.stdoutText.contains("NoNewPrivs:\t0"), "sudo needs setuid to work for admin users")
            }
        }
    }

    @Test func scenarioUserRootGetsNoNewPrivileges() throws {
        let body = try SandboxContainerConfig.body(
            for: SandboxSpec(image: "x", noNewPrivileges: true), enforceDiskLimit: false, cgroupVersion: 1)
        #expect(body.HostConfig.SecurityOpt == ["no-new-privileges:true"])
        let plain = try SandboxContainerConfig.body(for: SandboxSpec(image: "x"), enforceDiskLimit: false, cgroupVersion: 1)
        #expect(plain.HostConfig.SecurityOpt == nil, "nil keeps Docker's default seccomp profile; never seccomp=unconfined")
    }

    /// The probe agrees with the engine's storage driver: overlay2 on anything but XFS cannot
    /// enforce `size` (this host), btrfs can. With the cap required, an uncapped engine makes
    /// `create` fail with the operator's sentence instead of starting an uncapped sandbox.
    @Test func diskCapProbeMatchesTheStorageDriver() async throws {
        try await withRuntime { runtime in
            struct Info: Decodable { var Driver: String; var DriverStatus: [[String]]? }
            let response = try await runtime.client.send(.GET, path: "/info")
            let info = try response.decode(Info.self)
            let backing = info.DriverStatus?.first { $0.first == "Backing Filesystem" }?.last ?? ""
            let problem = try await runtime.diskCapProblem(image: TestEnvironment.baseImage)
            switch (info.Driver, backing) {
            case ("btrfs", _), ("zfs", _): #expect(problem == nil, "\(info.Driver) enforces size")
            case ("overlay2", "xfs"): break  // depends on the pquota mount option
            default: #expect(problem != nil, "\(info.Driver) on \(backing) cannot enforce size")
            }
            // Other tests probe at the same time (JudgeContainmentTests); each probe removes its
            // container within milliseconds, so none may be left a few seconds later.
            var left = try await runtime.list(labels: ["breakfix.probe": "disk-cap"])
            for _ in 0..<50 where !left.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                left = try await runtime.list(labels: ["breakfix.probe": "disk-cap"])
            }
            #expect(left.isEmpty, "the probe leaves nothing")

            guard let problem else { return }
            #expect(problem.description.hasPrefix("This Docker engine cannot cap a sandbox's disk ("))
            #expect(problem.description.contains("BREAKFIX_DISK_CAP=off"))
            let capped = DockerSandboxRuntime(endpoint: runtime.endpoint, enforceDiskLimit: true)
            try await withRuntime(capped) { capped in
                let tag = uniqueTag("cap")
                await #expect(throws: DiskCapUnsupported.self) { try await capped.create(testSpec(tag: tag)) }
                try await expectNothingLeft(capped, tag: tag)
            }
        }
    }

    @Test func diskCapSetting() throws {
        #expect(try DiskCapMode.fromEnvironment([:]) == .on)
        #expect(try DiskCapMode.fromEnvironment(["BREAKFIX_DISK_CAP": "off"]) == .off)
        #expect(try DiskCapMode.fromEnvironment(["BREAKFIX_DISK_CAP": "ON"]) == .on)
        #expect(throws: InvalidSetting(name: "BREAKFIX_DISK_CAP", value: "maybe", expected: "on or off")) {
            try DiskCapMode.fromEnvironment(["BREAKFIX_DISK_CAP": "maybe"])
        }
    }
}
