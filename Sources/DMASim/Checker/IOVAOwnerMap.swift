/// What owned an IOVA range: an IOVA state or a streaming mapping, by record index.
enum IOVAOwner: Hashable {
    case state(Int)
    case mapping(Int)
}

/// Per domain, the last owner of every IOVA range ever handed out. Entries leave only when
/// a new allocation covers them, so it stays bounded by the IOVA space in use, and a
/// destroyed state's range still names it until the IOVA is reused — which is what turns
/// a bare fault address into "use after destroy of s1".
struct IOVAOwnerMap {
    struct Span: SortKeyed, Hashable {
        var first: UInt64
        var last: UInt64
        var owner: IOVAOwner
        var sortKey: UInt64 { first }
    }

    private(set) var spans = BlockedSortedArray<Span>()

    /// Records `owner` for `[first, last]`, dropping the older spans it covers; their
    /// owners go to `displaced` (a record an owner span kept may now be retired).
    mutating func assign(first: UInt64, last: UInt64, to owner: IOVAOwner, displacingInto displaced: inout [IOVAOwner]) {
        var cursor = spans.floor(last)
        while let at = cursor, spans[at].last >= first {
            let previous = spans.predecessor(at)
            displaced.append(spans[at].owner)
            spans.remove(at: at)
            cursor = previous
        }
        spans.insert(Span(first: first, last: last, owner: owner))
    }

    /// The owner whose range contains `iova`.
    func owner(of iova: UInt64) -> IOVAOwner? {
        span(containing: iova)?.owner
    }

    /// The span that contains `iova`.
    func span(containing iova: UInt64) -> Span? {
        guard let at = spans.floor(iova), spans[at].last >= iova else { return nil }
        return spans[at]
    }

    /// The spans that meet `range`, in address order.
    func spans(meeting range: Range<UInt64>) -> [Span] {
        var found: [Span] = []
        var cursor = spans.floor(range.lowerBound).flatMap { spans[$0].last >= range.lowerBound ? $0 : nil }
            ?? spans.ceiling(range.lowerBound)
        while let at = cursor, spans[at].first < range.upperBound {
            found.append(spans[at])
            cursor = spans.successor(at)
        }
        return found
    }

    var count: Int { spans.count }
}
