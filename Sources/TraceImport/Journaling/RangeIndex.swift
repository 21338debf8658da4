/// Finds the ranges that overlap an address range, among many: each range is filed under
/// every 64 KiB bucket it touches, so a lookup reads one or a few buckets whatever the
/// number of ranges. (IOVA allocators pack mappings densely, top down from the DMA mask:
/// 2 MiB buckets held hundreds of 4 KiB mappings each and made lookups a third of the
/// import time.) Ranges wider than 64 buckets (4 MiB) go in a list read by every lookup;
/// traces have few of them. Inserting and removing cost the buckets a range spans. A
/// bucket keeps each range beside its id, so a lookup reads no dictionary but the bucket's
/// (looking each id up in `ranges` was 2 % of an import).
struct RangeIndex {
    static let bucketShift: UInt64 = 16
    static let maxBuckets: UInt64 = 64

    private var ranges: [Int: Range<UInt64>] = [:]
    private var buckets: [UInt64: [Entry]] = [:]
    private struct Entry {
        let id: Int
        let range: Range<UInt64>
    }
    private var wide: Set<Int> = []

    var count: Int { ranges.count }

    mutating func insert(id: Int, _ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        ranges[id] = range
        let (first, last) = Self.buckets(of: range)
        if last - first >= Self.maxBuckets {
            wide.insert(id)
        } else {
            for bucket in first...last { buckets[bucket, default: []].append(Entry(id: id, range: range)) }
        }
    }

    mutating func remove(id: Int) {
        guard let range = ranges.removeValue(forKey: id) else { return }
        if wide.remove(id) != nil { return }
        let (first, last) = Self.buckets(of: range)
        for bucket in first...last {
            buckets[bucket]?.removeAll { $0.id == id }
            if buckets[bucket]?.isEmpty == true { buckets[bucket] = nil }
        }
    }

    /// The ids of the ranges overlapping `query`, in ascending id order.
    func ids(overlapping query: Range<UInt64>) -> [Int] {
        entries(overlapping: query).map(\.id)
    }

    /// Forgets the ranges `cover` covers whole (an allocator handing the same IOVAs out
    /// again hides them for good); returns their ids, ascending.
    mutating func removeAll(coveredBy cover: Range<UInt64>) -> [Int] {
        let covered = entries(overlapping: cover).lazy
            .filter { cover.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= cover.upperBound }.map(\.id)
        let ids = Array(covered)
        for id in ids { remove(id: id) }
        return ids
    }

    /// The ranges overlapping `query`, in ascending id order.
    private func entries(overlapping query: Range<UInt64>) -> [Entry] {
        guard !query.isEmpty else { return [] }
        var found: [Entry] = []
        let (first, last) = Self.buckets(of: query)
        if last - first >= Self.maxBuckets {
            for (id, range) in ranges where range.overlaps(query) { found.append(Entry(id: id, range: range)) }
        } else {
            for bucket in first...last {
                for entry in buckets[bucket] ?? [] where entry.range.overlaps(query) { found.append(entry) }
            }
            // Invariant: `insert` and `remove(id:)` keep `wide` to ids in `ranges`.
            for id in wide where ranges[id]!.overlaps(query) { found.append(Entry(id: id, range: ranges[id]!)) }
        }
        guard found.count > 1 else { return found }
        found.sort { $0.id < $1.id }
        // A range spanning several of the buckets read was found once per bucket.
        var unique: [Entry] = []
        for entry in found where unique.last?.id != entry.id { unique.append(entry) }
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
