/// Finds the ranges that overlap an address range, among many: each range is filed under
/// every 64 KiB bucket it touches, so a lookup reads one or a few buckets whatever the
/// number of ranges. (IOVA allocators pack mappings densely, top down from the DMA mask:
/// 2 MiB buckets held hundreds of 4 KiB mappings each and made lookups a third of the
/// import time.) Ranges wider than 64 buckets (4 MiB) go in a list read by every lookup;
/// traces have few of them. Inserting and removing cost the buckets a range spans.
struct RangeIndex {
    static let bucketShift: UInt64 = 16
    static let maxBuckets: UInt64 = 64

    private var ranges: [Int: Range<UInt64>] = [:]
    private var buckets: [UInt64: [Int]] = [:]
    private var wide: Set<Int> = []

    var count: Int { ranges.count }

    mutating func insert(id: Int, _ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        ranges[id] = range
        let (first, last) = Self.buckets(of: range)
        if last - first >= Self.maxBuckets {
            wide.insert(id)
        } else {
            for bucket in first...last { buckets[bucket, default: []].append(id) }
        }
    }

    mutating func remove(id: Int) {
        guard let range = ranges.removeValue(forKey: id) else { return }
        if wide.remove(id) != nil { return }
        let (first, last) = Self.buckets(of: range)
        for bucket in first...last {
            buckets[bucket]?.removeAll { $0 == id }
            if buckets[bucket]?.isEmpty == true { buckets[bucket] = nil }
        }
    }

    func range(of id: Int) -> Range<UInt64>? { ranges[id] }

    /// The ids of the ranges overlapping `query`, in ascending id order.
    func ids(overlapping query: Range<UInt64>) -> [Int] {
        guard !query.isEmpty else { return [] }
        var found: [Int] = []
        let (first, last) = Self.buckets(of: query)
        if last - first >= Self.maxBuckets {
            for (id, range) in ranges where range.overlaps(query) { found.append(id) }
        } else {
            for bucket in first...last {
                // Invariant: `insert` and `remove(id:)` keep buckets and `wide` to the ids in `ranges`.
                for id in buckets[bucket] ?? [] where ranges[id]!.overlaps(query) { found.append(id) }
            }
            for id in wide where ranges[id]!.overlaps(query) { found.append(id) }
        }
        guard found.count > 1 else { return found }
        found.sort()
        // A range spanning several of the buckets read was found once per bucket.
        var unique: [Int] = []
        for id in found where unique.last != id { unique.append(id) }
        return unique
    }

    private static func buckets(of range: Range<UInt64>) -> (UInt64, UInt64) {
        (range.lowerBound >> bucketShift, (range.upperBound - 1) >> bucketShift)
    }
}

extension UInt64 {
    /// `self + length`, or the top of the address space when that would wrap.
    func adding(length: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(length)
        return overflow ? .max : sum
    }
}
