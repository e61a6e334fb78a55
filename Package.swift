// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "breakfix",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "breakfix", targets: ["breakfix"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Domain: no framework imports (no NIO, no Hummingbird, no Fluent).
        .target(name: "BreakfixCore"),
        .target(
            name: "Scenarios",
            dependencies: ["BreakfixCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "DockerRuntime",
            dependencies: [
                "BreakfixCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BreakfixCLI",
            dependencies: [
                "BreakfixCore", "Scenarios", "DockerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "breakfix", dependencies: ["BreakfixCLI"]),
        .testTarget(name: "BreakfixCoreTests", dependencies: ["BreakfixCore"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios"]),
        .testTarget(name: "DockerRuntimeTests", dependencies: ["DockerRuntime"]),
        .testTarget(name: "CLITests", dependencies: ["BreakfixCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
