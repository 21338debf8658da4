import Foundation

/// How long a fuzz test runs and from which seed. CI runs the defaults (a fixed seed and a
/// fixed number of inputs, so a failure reproduces); a longer campaign sets
/// `DMAJOURNAL_FUZZ_INPUTS` (how many inputs) and `DMAJOURNAL_FUZZ_SEED`.
/// `DMAJOURNAL_FUZZ_EXTREMES=1` also runs inputs the engine does not bound yet (see
/// `KnownBounds`).
struct FuzzSettings {
    let inputs: Int
    let seed: UInt64
    let extremes: Bool

    static func current(defaultInputs: Int, defaultSeed: UInt64) -> FuzzSettings {
        let environment = ProcessInfo.processInfo.environment
        return FuzzSettings(inputs: environment["DMAJOURNAL_FUZZ_INPUTS"].flatMap(Int.init) ?? defaultInputs,
                            seed: environment["DMAJOURNAL_FUZZ_SEED"].flatMap(UInt64.init) ?? defaultSeed,
                            extremes: environment["DMAJOURNAL_FUZZ_EXTREMES"] == "1")
    }
}
