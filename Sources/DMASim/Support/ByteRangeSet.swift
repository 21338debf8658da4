/// A set of byte positions kept as sorted, disjoint, non-adjacent half-open ranges.
/// Small by use (the parts of one mapping handed back to the CPU), so plain arrays.
struct ByteRangeSet: Hashable {
    private(set) var ranges: [Range<UInt64>] = []

    init() {}

    var isEmpty: Bool { ranges.isEmpty }

    /// Adds `range`, merging what it touches.
    mutating func insert(_ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        var merged = range
        ranges.removeAll { other in
            guard other.lowerBound <= merged.upperBound && merged.lowerBound <= other.upperBound else { return false }
            merged = min(other.lowerBound, merged.lowerBound)..<max(other.upperBound, merged.upperBound)
            return true
        }
        ranges.append(merged)
        ranges.sort { $0.lowerBound < $1.lowerBound }
    }

    /// Removes `range`, splitting what it cuts.
    mutating func remove(_ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        ranges = ranges.flatMap { other -> [Range<UInt64>] in
            guard other.overlaps(range) else { return [other] }
            var pieces: [Range<UInt64>] = []
            if other.lowerBound < range.lowerBound { pieces.append(other.lowerBound..<range.lowerBound) }
            if range.upperBound < other.upperBound { pieces.append(range.upperBound..<other.upperBound) }
            return pieces
        }
    }

    /// Whether every byte of `range` is in the set.
    func covers(_ range: Range<UInt64>) -> Bool {
        range.isEmpty || ranges.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }
}
