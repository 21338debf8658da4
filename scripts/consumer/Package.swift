// swift-tools-version:6.0
import PackageDescription

// A package outside dmajournal that depends on it by path and uses its library products,
// as a downstream tool would: proof that the products can be depended on (no unsafe
// flags, public API enough to run a script). scripts/consumer.sh builds and runs it;
// .ci/run calls that script.
let package = Package(
    name: "dmajournal-consumer",
    dependencies: [
        .package(name: "dmajournal", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "DMASim", package: "dmajournal"),
            .product(name: "OpScript", package: "dmajournal"),
            .product(name: "Pipeline", package: "dmajournal"),
            .product(name: "Journal", package: "dmajournal"),
        ]),
    ]
)
