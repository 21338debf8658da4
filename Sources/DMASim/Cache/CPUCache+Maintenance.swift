/// Cache maintenance by physical range, as arm64 does it for the streaming DMA API
/// (arch/arm64/mm/dma-mapping.c, arch/arm64/mm/cache.S).
extension CPUCache {
    /// `dcache_clean_poc`: every dirty line touching the range is written back and stays
    /// held, clean. Stale lines are not touched (a clean of a clean line does nothing).
    mutating func clean(phys: UInt64, length: UInt64) {
        forEachHeldPageSpan(phys: phys, length: length) { cache, page, entry, offset, count in
            let dirty = cache[entry].dirty & Self.lineMask(offset: offset, count: count)
            Self.forEachBit(dirty) { cache.writeBack(entry, page: page, line: $0) }
        }
    }

    /// `dcache_inval_poc`: a line only partly inside the range is cleaned and invalidated
    /// (`dc civac`), a line wholly inside is invalidated (`dc ivac`) — a dirty one loses
    /// its data. Afterwards the CPU holds none of the range.
    mutating func invalidate(phys: UInt64, length: UInt64) {
        forEachHeldPageSpan(phys: phys, length: length) { cache, page, entry, offset, count in
            let mask = Self.lineMask(offset: offset, count: count)
            Self.forEachBit(cache[entry].dirty & Self.partialLines(offset: offset, count: count)) { cache.writeBack(entry, page: page, line: $0) }
            cache.drop(mask, entry: entry, page: page)
        }
    }

    /// Calls `body` with each page of `[phys, phys + length)` the cache holds lines of, in
    /// address order: the page, its entry, and the span's offset and byte count in it.
    /// Pages without lines are not visited when the range has more pages than the cache
    /// holds, so maintenance of a huge range costs what the cache holds, not the range's
    /// length. `[phys, phys + length)` must not wrap (`CacheLineSpan`).
    mutating func forEachHeldPageSpan(phys: UInt64, length: UInt64, _ body: (inout CPUCache, UInt64, Int32, Int, Int) -> Void) {
        guard length > 0 else { return }
        let walk = PageWalk(phys: phys, last: phys + (length - 1))
        if walk.lastPage - walk.firstPage < UInt64(entryOfPage.count) {
            for page in walk.firstPage...walk.lastPage { visit(page, walk, body) }
        } else {
            for page in entryOfPage.keys.filter({ $0 >= walk.firstPage && $0 <= walk.lastPage }).sorted() { visit(page, walk, body) }
        }
    }

    private mutating func visit(_ page: UInt64, _ walk: PageWalk, _ body: (inout CPUCache, UInt64, Int32, Int, Int) -> Void) {
        guard let entry = entry(ofPage: page) else { return }
        let (offset, count) = walk.span(in: page)
        body(&self, page, entry, offset, count)
    }

    /// The pages `[phys, last]` covers, and the part of each it covers.
    private struct PageWalk {
        let phys: UInt64
        let last: UInt64
        var firstPage: UInt64 { phys >> PhysicalMemory.pageShift }
        var lastPage: UInt64 { last >> PhysicalMemory.pageShift }

        func span(in page: UInt64) -> (offset: Int, count: Int) {
            let pageMask = UInt64(PhysicalMemory.pageBytes - 1)
            let from = page == firstPage ? Int(phys & pageMask) : 0
            let to = page == lastPage ? Int(last & pageMask) + 1 : PhysicalMemory.pageBytes
            return (from, to - from)
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
