// swift-tools-version:6.0
import PackageDescription

// Dependency direction, never reversed:
//   dmajournal (CLI) -> Workloads -> OpScript -> DMASim
//   dmajournal (CLI) -> Replay -> Checkpoint -> Journal, Snapshot -> DMASim
//   Replay, TraceImport, Oracle, dmajournal (CLI) -> Pipeline -> OpScript, Snapshot -> DMASim (the one
//     apply -> check claims -> hand on loop; checkpoint/verify run through a SnapshotKeeper)
//   dmajournal (CLI) -> Export -> Journal, OpScript, TraceImport -> DMASim
//   dmajournal (CLI) -> TraceImport -> Journal, Pipeline -> DMASim (an import runs the trace on the engine)
//   dmajournal (CLI) -> Oracle -> Pipeline -> DMASim (the kernel oracle: oracle/ runs the guest)
//   dmajournal (CLI) -> Capture (tracefs and trace_pipe; the CLI feeds its text to `dmajournal import`)
//   Journal -> CSQLite (the system libsqlite3, bound through its C API)
//   Snapshot -> CLZ4, CXXHash (the system liblz4 and libxxhash)
//   TraceImport -> CZlib (the system zlib: `.gz` traces)
//   dmajournal (CLI) -> Fleet -> Journal, CSQLite, CLibPQ (journals pushed to and queried in PostgreSQL)
// DMASim is the pure, deterministic engine: standard library only, no I/O.
let package = Package(
    name: "dmajournal",
    products: [
        .executable(name: "dmajournal", targets: ["dmajournal"]),
        // For outside use, every public declaration documented (docs/architecture.md,
        // "Products for outside use"; scripts/consumer builds against them,
        // scripts/public-docs.sh checks the documentation).
        .library(name: "DMASim", targets: ["DMASim"]),
        .library(name: "OpScript", targets: ["OpScript"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Journal", targets: ["Journal"]),
        // For the Benchmarks package only (a package of its own); no promise to anyone else.
        .library(name: "Snapshot", targets: ["Snapshot"]),
        .library(name: "Workloads", targets: ["Workloads"]),
        .library(name: "Replay", targets: ["Replay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The engine's state lives in final classes mutated from one thread; dynamic
        // exclusivity checks cost a fifth of each API call (perf on Benchmarks/ProfileLoop),
        // so their stored properties are @exclusivity(unchecked) one by one: no unsafe
        // flags, so the package can be depended on by version.
        .target(name: "DMASim"),
        // The op script as text (lexer, parser, printer, claims) and nothing else.
        .target(name: "OpScript", dependencies: ["DMASim"]),
        // Ops through the engine (by way of a SnapshotKeeper), claims checked, results handed on.
        .target(name: "Pipeline", dependencies: ["DMASim", "OpScript", "Snapshot"]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", providers: [.apt(["libxxhash-dev"])]),
        .target(name: "Snapshot", dependencies: ["DMASim", "CLZ4", "CXXHash"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Journal", dependencies: ["DMASim", "CSQLite"]),
        // Seeded generators of realistic driver traffic and injected misuse (issue 7). Like
        // the engine, single-threaded classes whose properties are @exclusivity(unchecked)
        // (the checks were 15 % of generation time, perf on Benchmarks/WorkloadThroughput).
        .target(name: "Workloads", dependencies: ["DMASim", "OpScript"]),
        // Where the Snapshot module's chunks and manifests meet the journal's tables:
        // journal-backed snapshot storage, checkpoint state, loading a checkpoint.
        .target(name: "Checkpoint", dependencies: ["DMASim", "Snapshot", "Journal"]),
        .target(name: "Replay", dependencies: ["DMASim", "OpScript", "Pipeline", "Journal", "Snapshot", "Checkpoint"]),
        // Journals out: Perfetto trace JSON, op scripts, CSV, the HTML report (issue 9).
        .target(name: "Export", dependencies: ["DMASim", "OpScript", "Journal", "TraceImport"]),
        // Real kernel traces and logs (ftrace, dmesg, syslog, QEMU) into journals (issue 9).
        // `.gz` traces are inflated through the system zlib.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TraceImport", dependencies: ["DMASim", "Journal", "OpScript", "Pipeline", "CZlib"]),
        // The kernel oracle (issue 22): scripts translated for the dmaoracle module (oracle/),
        // the guest's output read back, compared line by line with the model.
        .target(name: "Oracle", dependencies: ["DMASim", "OpScript", "Pipeline"]),
        // Many journals together (issue 18): pushed into PostgreSQL through libpq (the system
        // library, as SQLite and LZ4 are; docs/fleet.md says why not postgres-nio), the
        // journal's views translated for PostgreSQL, and many SQLite files queried at once.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .target(name: "Fleet", dependencies: ["Journal", "DMASim", "CSQLite", "CLibPQ"]),
        // Live capture (issue 20): tracefs set up for dma:*, iommu:* and probe events on the
        // dma_iova_* calls, trace_pipe streamed to a text file, everything undone on exit.
        // Depends on nothing of ours: the importer runs in its own process.
        .target(name: "Capture"),
        .executableTarget(
            name: "dmajournal",
            dependencies: [
                "DMASim", "OpScript", "Pipeline", "Journal", "Workloads", "Replay", "Snapshot", "Checkpoint", "Export", "TraceImport", "Oracle", "Capture", "Fleet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DMASimTests", dependencies: ["DMASim"]),
        .testTarget(name: "OpScriptTests", dependencies: ["OpScript", "DMASim"]),
        .testTarget(name: "SnapshotTests", dependencies: ["Snapshot", "DMASim"]),
        // What the test targets share: journals recorded through the pipeline as `run
        // --journal` records them (`JournalRecording`), other processes on a journal (the
        // sqlite3 shell), scratch directories.
        .target(name: "TestSupport", dependencies: ["DMASim", "OpScript", "Pipeline", "Journal", "Snapshot", "Checkpoint"],
                path: "Tests/TestSupport"),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "DMASim", "OpScript", "CSQLite", "Checkpoint", "Snapshot", "TestSupport"]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "OpScript", "Pipeline", "DMASim"]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "Snapshot", "Journal", "DMASim", "OpScript", "TestSupport"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Checkpoint", "Snapshot", "Journal", "Workloads", "OpScript", "Pipeline", "DMASim", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Journal", "OpScript", "Pipeline", "DMASim", "TestSupport"]),
        .testTarget(name: "TraceImportTests", dependencies: ["TraceImport", "Journal", "DMASim"]),
        .testTarget(name: "OracleTests", dependencies: ["Oracle", "OpScript", "DMASim"]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "Journal", "OpScript", "Pipeline", "DMASim", "CSQLite", "TestSupport"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture"]),
        .testTarget(name: "dmajournalTests", dependencies: ["dmajournal", "OpScript", "Pipeline", "DMASim", "Journal", "TestSupport"]),
        // Fuzz targets (issue 21): mutated op scripts through the parser and the engine, and
        // damaged journals through every reader; bounded runs from fixed seeds.
        .testTarget(name: "FuzzTests", dependencies: ["DMASim", "OpScript", "Pipeline", "Snapshot", "Journal", "Checkpoint", "Replay", "Export", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
