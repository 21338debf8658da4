// swift-tools-version:6.0
import PackageDescription

// Dependency direction, never reversed:
//   dmajournal (CLI) -> OpScript, Journal -> DMASim
//   Journal -> CSQLite (the system libsqlite3, bound through its C API)
// DMASim is the pure, deterministic engine: standard library only, no I/O.
let package = Package(
    name: "dmajournal",
    products: [
        .executable(name: "dmajournal", targets: ["dmajournal"]),
        .library(name: "DMASim", targets: ["DMASim"]),
        .library(name: "OpScript", targets: ["OpScript"]),
        .library(name: "Journal", targets: ["Journal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "DMASim"),
        .target(name: "OpScript", dependencies: ["DMASim"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Journal", dependencies: ["DMASim", "CSQLite"]),
        .executableTarget(
            name: "dmajournal",
            dependencies: [
                "DMASim", "OpScript",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DMASimTests", dependencies: ["DMASim"]),
        .testTarget(name: "OpScriptTests", dependencies: ["OpScript", "DMASim"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "DMASim", "CSQLite"]),
        .testTarget(name: "dmajournalTests", dependencies: ["dmajournal", "OpScript", "DMASim"]),
    ],
    swiftLanguageModes: [.v6]
)
