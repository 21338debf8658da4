/// dma-debug's `dma_active_cacheline` radix tree (kernel/dma/debug.c): for each live
/// streaming mapping that is not `DMA_TO_DEVICE`, its FIRST cacheline
/// (`paddr >> L1_CACHE_SHIFT`, 64-byte lines), with an overlap count. Inserting a line
/// already there is the kernel's -EEXIST, "overlapping mappings aren't supported".
/// Only the first line counts, exactly as in the kernel: two mappings sharing a later
/// line are not seen.
///
/// The count is the kernel's: one for the entry plus an overlap count kept in the radix
/// tree's `RADIX_TREE_MAX_TAGS` (3) tag bits, so it saturates at
/// `ACTIVE_CACHELINE_MAX_OVERLAP` (7) more mappings; a ninth mapping of the line is not
/// counted ("exceeded 7 overlapping mappings"), and the line then leaves the tree while
/// mappings of it are still live: dma-debug no longer sees them.
///
/// The tree keeps the entry that inserted the line first, until the count drops to
/// zero, even after that mapping is gone: `add_dma_entry()` asks whether that entry
/// carried `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` or `DMA_ATTR_REQUIRE_COHERENT`, so the
/// line remembers it.
struct ActiveCachelines {
    static let lineShift: UInt64 = 6
    /// `ACTIVE_CACHELINE_MAX_OVERLAP`, `(1 << RADIX_TREE_MAX_TAGS) - 1`.
    static let maxOverlap = 7
    /// Internal rather than private so that ActiveCachelines+State can restore it.
    var mappingsOfLine: [UInt64: Int] = [:]
    /// Lines whose tree entry is marked (ignore-cachelines or require-coherent).
    var markedLines: Set<UInt64> = []

    init() {}

    /// `active_cacheline_insert()`: nil when the line was free (its entry is now this
    /// mapping's, `marked` or not); else -EEXIST, with whether the entry already in the
    /// tree is marked (`overlap_cache_clean`).
    mutating func insert(phys: UInt64, marked: Bool) -> CachelineOverlap? {
        let line = phys >> Self.lineShift
        let count = mappingsOfLine[line, default: 0]
        guard count > 0 else {
            mappingsOfLine[line] = 1
            if marked { markedLines.insert(line) }
            return nil
        }
        // active_cacheline_inc_overlap(): active_cacheline_set_overlap() stores nothing
        // above ACTIVE_CACHELINE_MAX_OVERLAP.
        let overflowed = count > Self.maxOverlap
        if !overflowed { mappingsOfLine[line] = count + 1 }
        return CachelineOverlap(existingIsMarked: markedLines.contains(line), line: line, overflowed: overflowed)
    }

    /// `active_cacheline_remove()`.
    mutating func remove(phys: UInt64) {
        let line = phys >> Self.lineShift
        guard let count = mappingsOfLine[line] else { return }
        if count > 1 {
            mappingsOfLine[line] = count - 1
        } else {
            mappingsOfLine[line] = nil
            markedLines.remove(line)
        }
    }
}

/// An insert that found the line taken (-EEXIST).
struct CachelineOverlap {
    /// The tree's entry for the line carries ignore-cachelines or require-coherent.
    var existingIsMarked: Bool
    /// The cacheline number (`to_cacheline_number()`: physical address >> 6).
    var line: UInt64
    /// The overlap count was already at `ACTIVE_CACHELINE_MAX_OVERLAP`: this mapping is
    /// not counted, and `active_cacheline_inc_overlap()` WARNs once.
    var overflowed: Bool
}
