/// The y axis of a device's occupancy chart: the device-side addresses it mapped, with the
/// widest empty stretches cut out. A device often maps in clusters far apart (just under
/// 4 GiB for a PCI device's 32-bit-first IOVAs, and the top of a 48-bit aperture); on one
/// linear axis each would be a hairline, so each cluster gets its own linear segment, as
/// tight as the addresses mapped in it, and the cuts are drawn as breaks.
///
/// The device's window [low, high) is divided into at most `blockCount` power-of-two
/// blocks; a run of empty blocks is cut when it is wider than `minimumGapShare` of the
/// window, the widest `maxCuts` first. Each segment's height follows its size, with at
/// least 1/(2 × segments) of the axis so a small cluster stays visible.
struct IOVAAxis {
    struct Segment {
        var low: UInt64
        var high: UInt64
        /// Where the segment starts on the axis (0 bottom, 1 top) and how much it takes.
        var base: Double
        var share: Double
    }

    /// A block some mapping covers, with the lowest and highest address mapped in it.
    struct OccupiedBlock {
        var index: UInt64
        var low: UInt64
        var high: UInt64
    }

    static let blockCount: UInt64 = 1024
    static let maxCuts = 7
    static let minimumGapShare = 0.125

    private(set) var segments: [Segment]

    /// The block size for a window: a power of two, at least 4 KiB, with at most
    /// `blockCount` blocks. A window whose high end is not above its low one (a range
    /// that wrapped past 2^64, whose end SQL computed modulo 2^64) counts as one byte.
    static func blockShift(low: UInt64, high: UInt64) -> Int {
        let span = high > low ? high - low : 1
        let perBlock = (span + blockCount - 1) / blockCount
        return max(12, 64 - (perBlock - 1).leadingZeroBitCount)
    }

    init(low: UInt64, high: UInt64, blocks: [OccupiedBlock], blockShift: Int) {
        let window = Double(high > low ? high - low : 1)
        let sorted = Self.merged(blocks)
        guard !sorted.isEmpty else {
            segments = Self.layout([(low, Self.above(low, high))])
            return
        }
        // Gaps worth cutting, as positions in `sorted` after which a cut falls: widest first.
        var cuts = zip(sorted.indices, sorted.indices.dropFirst()).compactMap { below, above -> (after: Int, width: UInt64)? in
            let width = (sorted[above].index - sorted[below].index - 1) << UInt64(blockShift)
            return Double(width) > window * Self.minimumGapShare ? (below, width) : nil
        }
        cuts.sort { $0.width > $1.width }
        let cutPoints = cuts.prefix(Self.maxCuts).map(\.after).sorted()
        var bounds: [(UInt64, UInt64)] = []
        var first = 0
        for last in cutPoints + [sorted.count - 1] {
            let members = sorted[first...last]
            let lowest = members.map(\.low).min() ?? low
            bounds.append((lowest, Self.above(lowest, members.map(\.high).max() ?? high)))
            first = last + 1
        }
        segments = Self.layout(bounds)
    }
    /// `high` when it is above `low`, else the address just above `low` (`low` itself at
    /// the very top of the address space): a segment is never empty or inverted.
    private static func above(_ low: UInt64, _ high: UInt64) -> UInt64 {
        high > low ? high : (low == .max ? .max : low + 1)
    }

    /// The axis position of `address`, 0 at the bottom, 1 at the top; nil in a cut gap or
    /// outside the window. A segment's high end belongs to it (a range ends there).
    func position(of address: UInt64) -> Double? {
        guard let segment = segments.first(where: { $0.low <= address && address <= $0.high }) else { return nil }
        guard segment.high > segment.low else { return segment.base }
        return segment.base + Double(address - segment.low) / Double(segment.high - segment.low) * segment.share
    }

    /// One block per index, in order, bounds widened to cover every row for it.
    private static func merged(_ blocks: [OccupiedBlock]) -> [OccupiedBlock] {
        var result: [OccupiedBlock] = []
        for block in blocks.sorted(by: { $0.index < $1.index }) {
            if let last = result.last, last.index == block.index {
                result[result.count - 1] = OccupiedBlock(index: block.index, low: min(last.low, block.low), high: max(last.high, block.high))
            } else {
                result.append(block)
            }
        }
        return result
    }

    private static func layout(_ bounds: [(low: UInt64, high: UInt64)]) -> [Segment] {
        let sizes = bounds.map { Double($0.high - $0.low) }
        let floor = sizes.reduce(0, +) / Double(2 * bounds.count)
        let weights = sizes.map { max($0, floor) }
        let total = weights.reduce(0, +)
        var base = 0.0
        return zip(bounds, weights).map { bound, weight in
            defer { base += weight / total }
            return Segment(low: bound.low, high: bound.high, base: base, share: weight / total)
        }
    }
}
