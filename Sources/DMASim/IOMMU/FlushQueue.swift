/// The lazy-mode flush queue (`struct iova_fq`, drivers/iommu/dma-iommu.c): IOVA ranges
/// whose PTEs are gone but whose IOTLB entries may still be cached. They are freed only
/// after a full IOTLB flush.
///
/// The kernel's ring has `fq_size` slots and `fq_full()` keeps one empty to tell full from
/// empty, so it holds at most `fq_size - 1` ranges: `queue_iova()` finding it full flushes
/// and frees everything queued before adding the new range. The 10 ms `fq_timer` has no
/// clock to run on here; the `flush` op stands in for it.
struct FlushQueue {
    struct Entry: Hashable {
        var pfn: UInt64
        var pageCount: UInt64
    }

    let slots: Int
    private(set) var entries: [Entry] = []

    init(slots: Int) {
        precondition(slots >= 2 && slots.nonzeroBitCount == 1, "fq size must be a power of two ≥ 2")
        self.slots = slots
    }

    /// `fq_full()`.
    var isFull: Bool { entries.count == slots - 1 }
    var isEmpty: Bool { entries.isEmpty }

    mutating func append(_ entry: Entry) {
        precondition(!isFull)
        entries.append(entry)
    }

    /// Takes every queued range, oldest first (`fq_ring_free_locked()` order).
    mutating func takeAll() -> [Entry] {
        defer { entries.removeAll(keepingCapacity: true) }
        return entries
    }
}
