/// dma-debug's `dma_active_cacheline` radix tree (kernel/dma/debug.c): for each live
/// streaming mapping that is not `DMA_TO_DEVICE`, its FIRST cacheline
/// (`paddr >> L1_CACHE_SHIFT`, 64-byte lines), with an overlap count. Inserting a line
/// already there is the kernel's -EEXIST, "overlapping mappings aren't supported".
/// Only the first line counts, exactly as in the kernel: two mappings sharing a later
/// line are not seen.
///
/// The tree keeps the entry that inserted the line first, until the count drops to
/// zero, even after that mapping is gone: `add_dma_entry()` asks whether that entry
/// carried `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` or `DMA_ATTR_REQUIRE_COHERENT`, so the
/// line remembers it.
struct ActiveCachelines {
    static let lineShift: UInt64 = 6
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
        mappingsOfLine[line] = count + 1
        guard count > 0 else {
            if marked { markedLines.insert(line) }
            return nil
        }
        return CachelineOverlap(existingIsMarked: markedLines.contains(line))
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
}
