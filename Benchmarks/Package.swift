// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` in the main package never pays
// for package-benchmark. Run: `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "dmajournal-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named, because a path dependency is otherwise known by its folder name, which
        // differs between checkouts.
        .package(name: "dmajournal", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DMASim", package: "dmajournal"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .target(name: "ProcStatus", path: "Sources/ProcStatus"),
        .executableTarget(
            name: "BaselineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DMASim", package: "dmajournal"),
            ],
            path: "Benchmarks/BaselineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MemoryFootprint",
            dependencies: ["ProcStatus", .product(name: "DMASim", package: "dmajournal")],
            path: "Sources/MemoryFootprint"
        ),
        .executableTarget(
            name: "CacheFootprint",
            dependencies: ["ProcStatus", .product(name: "DMASim", package: "dmajournal")],
            path: "Sources/CacheFootprint"
        ),
        .executableTarget(
            name: "MixThroughput",
            dependencies: [.product(name: "DMASim", package: "dmajournal")],
            path: "Sources/MixThroughput"
        ),
        .executableTarget(
            name: "SnapshotThroughput",
            dependencies: [
                .product(name: "DMASim", package: "dmajournal"),
                .product(name: "Snapshot", package: "dmajournal"),
            ],
            path: "Sources/SnapshotThroughput"
        ),
        .executableTarget(
            name: "WorkloadThroughput",
            dependencies: [
                .product(name: "DMASim", package: "dmajournal"),
                .product(name: "OpScript", package: "dmajournal"),
                .product(name: "Workloads", package: "dmajournal"),
            ],
            path: "Sources/WorkloadThroughput"
        ),
        .executableTarget(
            name: "JournalBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DMASim", package: "dmajournal"),
                .product(name: "Journal", package: "dmajournal"),
                .product(name: "Workloads", package: "dmajournal"),
            ],
            path: "Benchmarks/JournalBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "JournalThroughput",
            dependencies: [
                .product(name: "DMASim", package: "dmajournal"),
                .product(name: "Journal", package: "dmajournal"),
                .product(name: "Workloads", package: "dmajournal"),
            ],
            path: "Sources/JournalThroughput"
        ),
        .executableTarget(
            name: "ProfileLoop",
            dependencies: [.product(name: "DMASim", package: "dmajournal")],
            path: "Sources/ProfileLoop"
        ),
    ]
)
