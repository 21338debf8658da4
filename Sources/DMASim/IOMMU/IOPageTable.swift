/// The domain's I/O page table: leaf PTEs of every page size the IOMMU maps (granule
/// PTEs and 2 MiB / 1 GiB blocks), stored as runs (`PageRun`) sorted by IOVA. What it
/// costs grows with the map calls live, never with the bytes they map: a 1 GiB block, or
/// a 16 TiB link of 4 KiB PTEs, is one run.
///
/// Runs never overlap. Each page in a run is its own PTE: a partial unmap splits runs at
/// page boundaries (`IOPageTable+Unmap`), never inside a block.
struct IOPageTable {
    /// log2 of the granule in bytes: PTE physical addresses step by pages of granules.
    let granuleShift: UInt64
    private(set) var runs = BlockedSortedArray<PageRun>()
    /// Granules mapped, blocks counted by the granules they cover.
    private(set) var presentGranules: UInt64 = 0

    init(granuleShift: UInt64) { self.granuleShift = granuleShift }

    /// The run holding `granule`.
    func run(containing granule: UInt64) -> BlockedSortedArray<PageRun>.Cursor? {
        guard let at = runs.floor(granule), runs[at].endGranule > granule else { return nil }
        return at
    }

    /// The leaf a page walk finds for `granule` (`iommu_iova_to_phys()`'s walk), nil for
    /// none.
    func leaf(_ granule: UInt64) -> PageLeaf? {
        guard let at = run(containing: granule) else { return nil }
        let run = runs[at]
        let pageStart = run.firstGranule + ((granule - run.firstGranule) & ~(run.pageGranules - 1))
        return PageLeaf(firstGranule: pageStart, pageShift: run.pageShift,
                        pte: run.pte.advanced(byBytes: (pageStart - run.firstGranule) << granuleShift))
    }

    /// What granule `granule` maps to, as a granule PTE would say it (`.absent` for none).
    func entry(_ granule: UInt64) -> PageTableEntry {
        guard let at = run(containing: granule) else { return .absent }
        return runs[at].pte.advanced(byBytes: (granule - runs[at].firstGranule) << granuleShift)
    }

    /// The first present granule in `[first, first+count)`, if any.
    func firstPresent(from first: UInt64, count: UInt64) -> UInt64? {
        guard count > 0 else { return nil }
        if run(containing: first) != nil { return first }
        guard let at = runs.ceiling(first), runs[at].firstGranule - first < count else { return nil }
        return runs[at].firstGranule
    }

    /// Whether any granule in `[first, first+count)` is present.
    func anyPresent(from first: UInt64, count: UInt64) -> Bool { firstPresent(from: first, count: count) != nil }

    /// Installs `pageCount` pages of 2^`pageShift` granules from `firstGranule`, mapping
    /// from `pte`'s address on, where nothing is present.
    mutating func install(firstGranule: UInt64, pageShift: UInt8, pageCount: UInt64, pte: PageTableEntry) {
        let granuleCount = pageCount << UInt64(pageShift)
        guard granuleCount > 0 else { return }
        precondition(!anyPresent(from: firstGranule, count: granuleCount), "install over a present PTE")
        runs.insert(PageRun(firstGranule: firstGranule, granuleCount: granuleCount, pageShift: pageShift, pte: pte))
        presentGranules += granuleCount
    }

    /// Sets the visible bit of every page touching `[first, first+count)`
    /// (`iotlb_sync_map` on a needs-sync-map IOMMU): the runs are split where it starts
    /// and ends, at page boundaries.
    mutating func makeVisible(from first: UInt64, count: UInt64) {
        guard count > 0 else { return }
        let end = first &+ count
        var cursor = run(containing: first) ?? runs.ceiling(first)
        while let at = cursor, runs[at].firstGranule < end {
            let run = runs[at]
            guard !run.pte.isVisible else { cursor = runs.successor(at); continue }
            let from = max(first, run.firstGranule) - run.firstGranule
            let to = min(end, run.endGranule) - run.firstGranule
            let pageStart = from & ~(run.pageGranules - 1)
            let pageEnd = min(run.granuleCount, (to + run.pageGranules - 1) & ~(run.pageGranules - 1))
            runs.remove(at: at)
            var pieces: [PageRun] = []
            if pageStart > 0 { pieces.append(run.prefix(pageStart)) }
            var middle = run.suffix(from: run.firstGranule + pageStart, granuleShift: granuleShift).prefix(pageEnd - pageStart)
            middle.pte = middle.pte.madeVisible()
            pieces.append(middle)
            if pageEnd < run.granuleCount { pieces.append(run.suffix(from: run.firstGranule + pageEnd, granuleShift: granuleShift)) }
            for piece in pieces { runs.insert(piece) }
            cursor = runs.ceiling(run.firstGranule + pageEnd)
        }
    }

    /// Takes out `[from, to)` of the run at `at` (page boundaries inside it), keeping what
    /// is left before and after.
    mutating func clear(_ at: BlockedSortedArray<PageRun>.Cursor, from: UInt64, to: UInt64) {
        let run = runs[at]
        runs.remove(at: at)
        if from > run.firstGranule { runs.insert(run.prefix(from - run.firstGranule)) }
        if to < run.endGranule { runs.insert(run.suffix(from: to, granuleShift: granuleShift)) }
        presentGranules -= to - from
    }

    /// Runs in use (for memory accounting and tests).
    var runCount: Int { runs.count }
}
