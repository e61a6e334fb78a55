// swift-tools-version: 6.1
// In-process benchmarks (ordo-one/benchmark). A separate package, so `make test` never builds it:
//   swift package --package-path Benchmarks benchmark
//
// The main package exports only the `breakfix` executable (no library products), so this package
// compiles the library targets it measures from the same sources, through the symlinks in
// `Sources/` (and `StreamDemultiplexer.swift`, which is internal to DockerRuntime, is compiled
// into the benchmark target itself). Nothing here is a copy: the measured code is the product's.
import PackageDescription

let package = Package(
    name: "BreakfixBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "BreakfixCore", path: "Sources/BreakfixCore"),
        .target(
            name: "Scenarios",
            dependencies: ["BreakfixCore", .product(name: "Yams", package: "Yams")],
            path: "Sources/Scenarios"
        ),
        .executableTarget(
            name: "BreakfixBenchmarks",
            dependencies: [
                "BreakfixCore", "Scenarios",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/BreakfixBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
