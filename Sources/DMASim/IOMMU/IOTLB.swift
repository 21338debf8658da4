/// The domain's IOTLB: translations the device has used, kept until invalidated. A cached
/// entry outlives its PTE — that is the lazy-mode stale window, where a device keeps
/// reaching memory through an IOVA the driver already destroyed.
///
/// An entry caches one leaf PTE at its page size, as hardware IOTLBs hold large-page
/// entries: a device that touched a 2 MiB block holds one entry for all of it, and a
/// later access anywhere in the block hits it. Entries of different sizes may cover the
/// same granule (a stale 2 MiB entry over 4 KiB PTEs mapped since); the smallest answers.
///
/// Capacity is not modelled: an entry leaves only by invalidation (strict unmap, unlink,
/// a flush-queue flush), which is the worst case a driver must be correct against.
///
/// Beside each entry the model keeps what hardware does not: the op that filled it and
/// the op that cleared a PTE under it without invalidating it (`Provenance`), so a stale
/// hit can name both (`dmajournal state`, the `stale-iotlb-hit` finding).
struct IOTLB {
    /// A cached page: its first granule and size.
    struct Key: Hashable, Comparable {
        var firstGranule: UInt64
        var pageShift: UInt8

        static func < (a: Key, b: Key) -> Bool {
            (a.firstGranule, a.pageShift) < (b.firstGranule, b.pageShift)
        }
    }

    /// Which ops an entry owes its life to: the fill (an IOTLB miss's page walk) and, once
    /// the page table under it changed with no invalidation (a lazy-mode unmap), that op.
    struct Provenance: Hashable {
        var filledAt: Int
        var staleSince: Int?
    }

    struct Entry: Hashable {
        var pte: PageTableEntry
        var provenance: Provenance
    }

    private(set) var cached: [Key: Entry] = [:]
    /// How many entries of each page shift are cached: lookups try only these sizes.
    private var countOfShift: [UInt8: Int] = [:]
    private var shiftsInUse: [UInt8] = []

    init() {}

    var count: Int { cached.count }

    /// The cached page holding `granule`, smallest page first.
    func lookup(_ granule: UInt64) -> PageLeaf? {
        for shift in shiftsInUse {
            let key = Key(firstGranule: granule & ~((UInt64(1) << UInt64(shift)) - 1), pageShift: shift)
            if let entry = cached[key] { return PageLeaf(firstGranule: key.firstGranule, pageShift: shift, pte: entry.pte) }
        }
        return nil
    }

    /// The cached page holding `granule` with its provenance, smallest page first.
    func lookupEntry(_ granule: UInt64) -> (leaf: PageLeaf, provenance: Provenance)? {
        for shift in shiftsInUse {
            let key = Key(firstGranule: granule & ~((UInt64(1) << UInt64(shift)) - 1), pageShift: shift)
            if let entry = cached[key] { return (PageLeaf(firstGranule: key.firstGranule, pageShift: shift, pte: entry.pte), entry.provenance) }
        }
        return nil
    }

    /// Caches the leaf a page walk found, filled by op `sequence`.
    mutating func fill(_ leaf: PageLeaf, at sequence: Int) {
        fill(leaf, provenance: Provenance(filledAt: sequence, staleSince: nil))
    }

    mutating func fill(_ leaf: PageLeaf, provenance: Provenance) {
        let key = Key(firstGranule: leaf.firstGranule, pageShift: leaf.pageShift)
        if cached.updateValue(Entry(pte: leaf.pte, provenance: provenance), forKey: key) == nil { noteAdded(leaf.pageShift) }
    }

    /// The PTEs of `[first, first+count)` granules were cleared by op `sequence` and no
    /// invalidation followed yet: every cached page touching the range is stale from
    /// now on, unless an earlier op already made it so. Strict mode invalidates right
    /// after, so only lazy mode's entries (and misuse) keep the mark.
    mutating func markStale(from first: UInt64, count: UInt64, at sequence: Int) {
        forEachKey(touching: first, count: count) { iotlb, key in
            if let entry = iotlb.cached[key], entry.provenance.staleSince == nil { iotlb.cached[key]!.provenance.staleSince = sequence }
        }
    }

    /// `iommu_iotlb_sync()` over `[first, first+count)` granules: every cached page
    /// touching the range goes.
    mutating func invalidate(from first: UInt64, count: UInt64) {
        forEachKey(touching: first, count: count) { iotlb, key in iotlb.remove(key) }
    }

    /// Calls `body` with the key of every cached page touching `[first, first+count)`
    /// granules (and, when probing is cheaper than a scan, with keys not cached, which
    /// `body` must ignore): by probe when the range has fewer pages than the IOTLB has
    /// entries, else by a scan of the entries. The loops walk copies, so `body` may change
    /// the IOTLB.
    private mutating func forEachKey(touching first: UInt64, count: UInt64, _ body: (inout IOTLB, Key) -> Void) {
        guard !cached.isEmpty, count > 0 else { return }
        let last = first &+ (count - 1)
        var probes: UInt64 = 0
        for shift in shiftsInUse { probes &+= (last >> UInt64(shift)) - (first >> UInt64(shift)) + 1 }
        if probes <= UInt64(cached.count) {
            for shift in shiftsInUse {
                for page in (first >> UInt64(shift))...(last >> UInt64(shift)) {
                    body(&self, Key(firstGranule: (page << UInt64(shift)), pageShift: shift))
                }
            }
        } else {
            for key in cached.keys where key.firstGranule <= last && key.firstGranule &+ ((UInt64(1) << UInt64(key.pageShift)) - 1) >= first {
                body(&self, key)
            }
        }
    }

    /// `flush_iotlb_all()`.
    mutating func invalidateAll() {
        cached.removeAll()
        countOfShift.removeAll()
        shiftsInUse.removeAll()
    }

    private mutating func remove(_ key: Key) {
        guard cached.removeValue(forKey: key) != nil else { return }
        // Invariant: every cached entry was counted under its page shift when inserted.
        countOfShift[key.pageShift]! -= 1
        if countOfShift[key.pageShift] == 0 {
            countOfShift[key.pageShift] = nil
            shiftsInUse.removeAll { $0 == key.pageShift }
        }
    }

    private mutating func noteAdded(_ shift: UInt8) {
        countOfShift[shift, default: 0] += 1
        if countOfShift[shift] == 1 {
            shiftsInUse.append(shift)
            shiftsInUse.sort()
        }
    }
}
