// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` in the main package never pays
// for package-benchmark. Run: `swift package --package-path Benchmarks --disable-sandbox benchmark`.

/// Products of the main package, by name.
func ours(_ names: String...) -> [Target.Dependency] {
    names.map { .product(name: $0, package: "dmajournal") }
}

/// A package-benchmark suite in Benchmarks/NAME.
func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

/// A measuring program in Sources/NAME, run by hand or by compare.sh.
func probe(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "Sources/\(name)")
}

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
        suite("EngineBenchmarks", ours("DMASim")),
        suite("BaselineBenchmarks", ours("DMASim")),
        suite("JournalBenchmarks", ours("DMASim", "Journal", "Workloads")),
        suite("PipelineBenchmarks", ours("DMASim", "Journal", "Replay", "Snapshot", "Workloads")),
        .target(name: "ProcStatus", path: "Sources/ProcStatus"),
        probe("MemoryFootprint", ["ProcStatus"] + ours("DMASim")),
        probe("CacheFootprint", ["ProcStatus"] + ours("DMASim")),
        probe("MixThroughput", ours("DMASim")),
        probe("SnapshotThroughput", ours("DMASim", "Snapshot")),
        probe("WorkloadThroughput", ours("DMASim", "OpScript", "Workloads")),
        probe("JournalThroughput", ours("DMASim", "Journal", "Workloads")),
        probe("ProfileLoop", ours("DMASim")),
        probe("CheckpointState", ours("DMASim", "Workloads")),
    ]
)
