/// Consecutive leaf PTEs of one page size that one map call installed: `pageCount` pages
/// of 2^`pageShift` granules each, from `firstGranule`, mapping physically contiguous
/// memory with the same permissions. A run is how the model stores PTEs, not something
/// the hardware has: each page in it is its own PTE (a granule PTE when `pageShift` is 0,
/// a block PTE — 2 MiB, 1 GiB — above), and unmap treats them one by one. Storing runs
/// keeps a 16 TiB link as cheap as a 4 KiB one, whatever the page size.
struct PageRun: SortKeyed, Hashable {
    var firstGranule: UInt64
    var granuleCount: UInt64
    /// log2 of the granules per PTE: 0 for granule PTEs, 9 for 2 MiB blocks of 4 KiB granules.
    var pageShift: UInt8
    /// The first page's PTE: its physical address and flags. Page k maps `pte.phys` plus
    /// k pages.
    var pte: PageTableEntry

    var sortKey: UInt64 { firstGranule }
    var endGranule: UInt64 { firstGranule + granuleCount }
    var pageGranules: UInt64 { UInt64(1) << UInt64(pageShift) }

    /// The run's pages from `granule` on (page aligned inside the run), with the PTE
    /// their first page has.
    func suffix(from granule: UInt64, granuleShift: UInt64) -> PageRun {
        let skipped = granule - firstGranule
        return PageRun(firstGranule: granule, granuleCount: granuleCount - skipped, pageShift: pageShift,
                       pte: pte.advanced(byBytes: skipped << granuleShift))
    }

    /// The first `count` granules of the run.
    func prefix(_ count: UInt64) -> PageRun {
        PageRun(firstGranule: firstGranule, granuleCount: count, pageShift: pageShift, pte: pte)
    }
}

/// The leaf PTE the walk finds for one granule: the page it belongs to and that page's PTE.
struct PageLeaf: Hashable {
    /// The first granule of the page (a block's first granule, or the granule itself).
    var firstGranule: UInt64
    var pageShift: UInt8
    /// The page's PTE: the physical address of its first byte, and its flags.
    var pte: PageTableEntry

    var pageGranules: UInt64 { UInt64(1) << UInt64(pageShift) }

    /// What the page maps `granule` to: the PTE a granule-sized page there would hold.
    func entry(for granule: UInt64, granuleShift: UInt64) -> PageTableEntry {
        pte.advanced(byBytes: (granule - firstGranule) << granuleShift)
    }
}
