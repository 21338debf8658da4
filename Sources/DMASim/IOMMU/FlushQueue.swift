/// One lazy-mode flush queue (`struct iova_fq`, drivers/iommu/dma-iommu.c): IOVA ranges
/// whose PTEs are gone but whose IOTLB entries may still be cached. Each remembers the
/// domain's flush-start count when it was queued (`counter`): it may be freed once a
/// flush that started later has finished (`fq_ring_free_locked`), whichever CPU ran it.
///
/// A domain has one per CPU (`percpu_fq`), or one for all (`single_fq`, the
/// single-queue option). The kernel's ring has `fq_size` slots and `fq_full()` keeps one
/// empty to tell full from empty, so it holds at most `fq_size - 1` ranges.
struct FlushQueue {
    struct Entry: Hashable {
        var pfn: UInt64
        var pageCount: UInt64
        /// `fq_flush_start_cnt` when queued.
        var counter: UInt64 = 0
        /// The engine's clock when queued (ns): which ranges a flush that ran at a given
        /// time covers (`flush at=`).
        var queuedAt: UInt64 = 0
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

    /// `fq_ring_add()`.
    mutating func append(_ entry: Entry) {
        precondition(!isFull)
        entries.append(entry)
    }

    /// `fq_ring_free_locked()`'s walk: takes the entries from the head whose counter is
    /// below `finishedCount` (flushed since they were queued), oldest first.
    mutating func takeFlushed(before finishedCount: UInt64) -> [Entry] {
        let count = entries.prefix { $0.counter < finishedCount }.count
        defer { entries.removeFirst(count) }
        return Array(entries.prefix(count))
    }

    /// A flush that ran at `time`, learnt later: it covers the ranges queued by then (the
    /// ring's oldest), which `fq_ring_free_locked()` then frees; the rest were queued after
    /// it, and get the flush-start count they would have had (`counter`).
    mutating func markFlushed(queuedBy time: UInt64, counter: UInt64, finished: UInt64) {
        for index in entries.indices {
            entries[index].counter = entries[index].queuedAt <= time ? min(entries[index].counter, finished &- 1) : counter
        }
    }

    /// When the oldest range was queued, if any.
    var oldestQueuedAt: UInt64? { entries.first?.queuedAt }
}
