/// dma-debug's `dma_active_cacheline` radix tree (kernel/dma/debug.c): for each live
/// streaming mapping that is not `DMA_TO_DEVICE`, its FIRST cacheline
/// (`paddr >> L1_CACHE_SHIFT`, 64-byte lines), with an overlap count. Inserting a line
/// already there is the kernel's -EEXIST, "overlapping mappings aren't supported".
/// Only the first line counts, exactly as in the kernel: two mappings sharing a later
/// line are not seen.
struct ActiveCachelines {
    static let lineShift: UInt64 = 6
    /// Internal rather than private so that ActiveCachelines+State can restore it.
    var mappingsOfLine: [UInt64: Int] = [:]

    init() {}

    /// `active_cacheline_insert()`: false when the line was already active (EEXIST).
    mutating func insert(phys: UInt64) -> Bool {
        let line = phys >> Self.lineShift
        let count = mappingsOfLine[line, default: 0]
        mappingsOfLine[line] = count + 1
        return count == 0
    }

    /// `active_cacheline_remove()`.
    mutating func remove(phys: UInt64) {
        let line = phys >> Self.lineShift
        guard let count = mappingsOfLine[line] else { return }
        mappingsOfLine[line] = count > 1 ? count - 1 : nil
    }
}
