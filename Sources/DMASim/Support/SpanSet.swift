/// A set of 64-bit positions (granule numbers, byte addresses) kept as sorted, disjoint,
/// non-adjacent closed spans in a `BlockedSortedArray`: O(log n) membership, and adding
/// or removing a range costs the spans it touches, not its length — an unlink of 16 TiB
/// of 4 KiB granules is one span.
struct SpanSet: Hashable {
    struct Span: SortKeyed, Hashable {
        var first: UInt64
        var last: UInt64
        var sortKey: UInt64 { first }
    }

    private(set) var spans = BlockedSortedArray<Span>()

    init() {}

    var isEmpty: Bool { spans.count == 0 }
    var spanCount: Int { spans.count }

    func contains(_ position: UInt64) -> Bool {
        guard let at = spans.floor(position) else { return false }
        return spans[at].last >= position
    }

    /// Adds `[first, last]`, merging the spans it overlaps or touches.
    mutating func insert(first: UInt64, last: UInt64) {
        precondition(first <= last, "empty span")
        var merged = Span(first: first, last: last)
        // Every span starting at or before last + 1 and ending at or after first − 1.
        var cursor = spans.floor(last == .max ? last : last + 1)
        while let at = cursor, spans[at].last >= merged.first || (merged.first > 0 && spans[at].last == merged.first - 1) {
            merged.first = min(merged.first, spans[at].first)
            merged.last = max(merged.last, spans[at].last)
            let previous = spans.predecessor(at)
            spans.remove(at: at)
            cursor = previous
        }
        spans.insert(merged)
    }

    /// Removes `[first, last]`, cutting the spans it overlaps.
    mutating func remove(first: UInt64, last: UInt64) {
        precondition(first <= last, "empty span")
        var cursor = spans.floor(last)
        var pieces: [Span] = []
        while let at = cursor, spans[at].last >= first {
            let span = spans[at]
            if span.first < first { pieces.append(Span(first: span.first, last: first - 1)) }
            if span.last > last { pieces.append(Span(first: last + 1, last: span.last)) }
            let previous = spans.predecessor(at)
            spans.remove(at: at)
            cursor = previous
        }
        for piece in pieces { spans.insert(piece) }
    }

    /// Every span in ascending order.
    var elements: [Span] { spans.elements }

    static func == (a: SpanSet, b: SpanSet) -> Bool { a.elements == b.elements }
    func hash(into hasher: inout Hasher) { hasher.combine(elements) }
}
