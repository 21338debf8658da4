/// Lays segments out inside a 2 MiB buffer slot the way a request's pages are scattered:
/// in order, each at least one unit after the previous one (physically adjacent segments
/// would have been merged into one by the block layer), with random extra gaps.
enum SlotLayout {
    /// At most half a slot of data per slot, so the gaps always fit.
    static let dataBytesPerSlot = MemoryPools.slotBytes / 2

    /// `units` split into `parts` positive counts, each composition equally likely:
    /// `parts - 1` distinct cut points drawn with Floyd's algorithm.
    static func split(_ units: Int, into parts: Int, _ random: inout WorkloadRandom) -> [Int] {
        precondition(parts >= 1 && parts <= units)
        var cuts: Set<Int> = []
        for bound in (units - parts + 1)..<units {
            let pick = random.inRange(1...bound)
            cuts.insert(cuts.contains(pick) ? bound : pick)
        }
        let sorted = [0] + cuts.sorted() + [units]
        return (1..<sorted.count).map { sorted[$0] - sorted[$0 - 1] }
    }

    /// Physical addresses for segments of `lengths` bytes (multiples of `unit`, at most
    /// `dataBytesPerSlot` together) in the slot at `slotBase`.
    static func place(_ lengths: [UInt64], unit: UInt64, slotBase: UInt64, _ random: inout WorkloadRandom) -> [UInt64] {
        let dataUnits = lengths.reduce(0, +) / unit
        let spareUnits = MemoryPools.slotBytes / unit - dataUnits - UInt64(lengths.count - 1)
        // Each of the n gaps (before the first, between the others) gets at most a 1/n share
        // of the spare units beyond its one-unit minimum, so the total never overflows.
        let maxExtra = spareUnits / UInt64(lengths.count)
        var cursor = slotBase
        return lengths.enumerated().map { index, length in
            cursor += (index == 0 ? 0 : unit) + random.below(maxExtra + 1) * unit
            defer { cursor += length }
            return cursor
        }
    }
}
