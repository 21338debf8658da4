/// Cache maintenance by physical range, as arm64 does it for the streaming DMA API
/// (arch/arm64/mm/dma-mapping.c, arch/arm64/mm/cache.S).
extension CPUCache {
    /// `dcache_clean_poc`: every dirty line touching the range is written back and stays
    /// held, clean. Stale lines are not touched (a clean of a clean line does nothing).
    mutating func clean(phys: UInt64, length: UInt64) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, _ in
            guard let entry = entry(ofPage: page) else { return }
            let dirty = self[entry].dirty & Self.lineMask(offset: offset, count: count)
            Self.forEachBit(dirty) { writeBack(entry, page: page, line: $0) }
        }
    }

    /// `dcache_inval_poc`: a line only partly inside the range is cleaned and invalidated
    /// (`dc civac`), a line wholly inside is invalidated (`dc ivac`) — a dirty one loses
    /// its data. Afterwards the CPU holds none of the range.
    mutating func invalidate(phys: UInt64, length: UInt64) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, _ in
            guard let entry = entry(ofPage: page) else { return }
            let mask = Self.lineMask(offset: offset, count: count)
            Self.forEachBit(self[entry].dirty & Self.partialLines(offset: offset, count: count)) { writeBack(entry, page: page, line: $0) }
            drop(mask, entry: entry, page: page)
        }
    }

    /// The lines at either end of `[offset, offset+count)` that it covers only in part.
    static func partialLines(offset: Int, count: Int) -> UInt64 {
        var lines: UInt64 = 0
        if offset & 63 != 0 { lines |= UInt64(1) << UInt64(offset >> 6) }
        if (offset + count) & 63 != 0 { lines |= UInt64(1) << UInt64((offset + count - 1) >> 6) }
        return lines
    }
}
