import DMASim

/// The workload's only source of randomness: `SeededGenerator` (SplitMix64) with bounded
/// draws written out here rather than taken from the standard library, whose algorithms
/// may change between toolchains; a seed must give the same stream everywhere.
struct WorkloadRandom {
    private var generator: SeededGenerator

    /// An independent stream per purpose (traffic, placement, injection), so adding an
    /// injection does not move the traffic drawn before it.
    init(seed: UInt64, stream: UInt64) {
        generator = SeededGenerator(seed: SplitMix64.word(seed: seed, index: stream))
    }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in `0..<bound` (bound > 0), by the high word of a 128-bit product: Lemire's
    /// multiply-shift without the rejection step; the bias (< bound / 2^64) is immaterial.
    mutating func below(_ bound: UInt64) -> UInt64 {
        bound.multipliedFullWidth(by: next()).high
    }

    mutating func below(_ bound: Int) -> Int { Int(truncatingIfNeeded: below(UInt64(bound))) }

    /// Uniform in `range`.
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func fraction() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { fraction() < p }

    /// Log-uniform in `range` (both ends ≥ 1): a power of two picked uniformly, then a
    /// value inside its octave. Sizes and counts in real I/O spread this way: many small,
    /// a long tail of large.
    mutating func logUniform(_ range: ClosedRange<Int>) -> Int {
        let low = range.lowerBound.bitWidth - 1 - range.lowerBound.leadingZeroBitCount
        let high = range.upperBound.bitWidth - 1 - range.upperBound.leadingZeroBitCount
        let octave = inRange(low...high)
        let value = inRange((1 << octave)...((2 << octave) - 1))
        return min(max(value, range.lowerBound), range.upperBound)
    }
}
