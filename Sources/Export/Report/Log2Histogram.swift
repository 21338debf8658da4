/// Counts of values in power-of-two buckets: bucket 0 holds 0, bucket k ≥ 1 holds
/// [2^(k-1), 2^k). 65 buckets cover every `UInt64`, so memory is fixed.
struct Log2Histogram {
    private(set) var counts = [Int](repeating: 0, count: 65)
    private(set) var total = 0

    mutating func add(_ value: UInt64, count: Int = 1) {
        counts[Self.bucket(of: value)] += count
        total += count
    }

    static func bucket(of value: UInt64) -> Int {
        value == 0 ? 0 : 64 - value.leadingZeroBitCount
    }

    /// The smallest value bucket `index` holds.
    static func lowerBound(of index: Int) -> UInt64 {
        index == 0 ? 0 : 1 << UInt64(index - 1)
    }

    /// The buckets from the first to the last non-empty one (gaps included, so the bars
    /// keep a log scale), with their lower bounds.
    var occupiedRange: [(lowerBound: UInt64, count: Int)] {
        guard let first = counts.firstIndex(where: { $0 > 0 }), let last = counts.lastIndex(where: { $0 > 0 }) else { return [] }
        return (first...last).map { (Self.lowerBound(of: $0), counts[$0]) }
    }
}
