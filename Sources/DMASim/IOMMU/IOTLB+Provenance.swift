/// How a stale IOTLB entry is named in a finding, and how fills reach the journal.
extension IOTLB.Provenance {
    /// " (filled at seq 12; its PTE cleared at seq 15, no IOTLB invalidation since)",
    /// appended to the stale-iotlb-hit message; empty for an entry restored from a
    /// checkpoint older than engine state version 10, whose provenance is unknown. The
    /// message before it is the one journals before schema 17 recorded
    /// (`OutcomeComparison` compares those by that prefix).
    var staleHitClause: String {
        guard filledAt >= 0 else { return "" }
        let cause = staleSince.map { "; its PTE cleared at seq \($0), no IOTLB invalidation since" } ?? ""
        return Finding.staleHitProvenancePrefix + "\(filledAt)\(cause))"
    }
}

extension Finding {
    /// Where a stale-iotlb-hit message's provenance clause begins.
    public static let staleHitProvenancePrefix = " (filled at seq "
}

extension Outcome {
    /// A page walk cached `[iova, iova+bytes)` → `phys` in the IOTLB (an `iotlb-fill`
    /// event). One access fills page after page: a fill that continues the previous one
    /// in IOVA and in physical address extends it, so an access costs the journal one
    /// event per contiguous run, not one per page.
    mutating func noteIOTLBFill(iova: UInt64, bytes: UInt64, phys: UInt64) {
        if let last = events.indices.last, events[last].kind == .iotlbFill,
           events[last].address &+ events[last].length == iova, events[last].target &+ events[last].length == phys {
            events[last].length &+= bytes
            return
        }
        events.append(SideEvent(.iotlbFill, address: iova, length: bytes, target: phys))
    }
}
