/// The runs by ascending IOVA: each as a disjoint granule range, its page shift and the
/// PTE word of its first page (the zigzag difference from the previous run's, so
/// neighbouring runs cost a few bytes). Versions 3 to 5 wrote one PTE per granule
/// (`wordMap`); they are read back as runs of granule PTEs, physically contiguous
/// neighbours with the same flags joined.
extension IOPageTable {
    func encode(to writer: inout StateWriter) {
        writer.varint(runs.count)
        var previousLast: UInt64?
        var previousWord: UInt64 = 0
        for run in runs.elements {
            writer.disjointRange(run.firstGranule, run.endGranule - 1, after: &previousLast)
            writer.byte(run.pageShift)
            writer.signed(Int64(bitPattern: run.pte.raw &- previousWord))
            previousWord = run.pte.raw
        }
    }

    init(from reader: inout StateReader, granuleShift: UInt64, version: UInt32) throws(EngineStateError) {
        if version < EngineStateFormat.blockPTEsVersion {
            try self.init(granulePTEsFrom: &reader, granuleShift: granuleShift)
            return
        }
        self.init(granuleShift: granuleShift)
        let count = try reader.count("page table", minimumBytes: 4)
        var previousLast: UInt64?
        var previousWord: UInt64 = 0
        for _ in 0..<count {
            let start = reader.offset
            let granules = try reader.disjointRange("page table run", after: &previousLast)
            let pageShift = try reader.byte("page table page shift")
            previousWord &+= UInt64(bitPattern: try reader.signed("page table entry"))
            let (granuleCount, wide) = (granules.upperBound - granules.lowerBound).addingReportingOverflow(1)
            guard !wide else { throw reader.invalid("page table run", "covers the whole 64-bit granule range", at: start) }
            let run = PageRun(firstGranule: granules.lowerBound, granuleCount: granuleCount,
                              pageShift: pageShift, pte: PageTableEntry(raw: previousWord))
            if let problem = Self.problem(with: run, granuleShift: granuleShift) {
                throw reader.invalid("page table run", problem, at: start)
            }
            install(firstGranule: run.firstGranule, pageShift: pageShift, pageCount: run.granuleCount >> UInt64(pageShift), pte: run.pte)
        }
    }

    /// Versions 3 to 5: a word per present granule.
    private init(granulePTEsFrom reader: inout StateReader, granuleShift: UInt64) throws(EngineStateError) {
        self.init(granuleShift: granuleShift)
        let start = reader.offset
        var pending: PageRun?
        for (granule, raw) in try reader.wordMap("page table") {
            let pte = PageTableEntry(raw: raw)
            guard pte.isPresent else {
                throw reader.invalid("page table", "entry for granule 0x\(String(granule, radix: 16)) is not present", at: start)
            }
            if let run = pending, run.endGranule == granule, run.pte.advanced(byBytes: run.granuleCount << granuleShift) == pte {
                pending?.granuleCount += 1
                continue
            }
            if let run = pending { install(firstGranule: run.firstGranule, pageShift: 0, pageCount: run.granuleCount, pte: run.pte) }
            pending = PageRun(firstGranule: granule, granuleCount: 1, pageShift: 0, pte: pte)
        }
        if let run = pending { install(firstGranule: run.firstGranule, pageShift: 0, pageCount: run.granuleCount, pte: run.pte) }
    }

    /// Why a decoded run is not one a map call could have made.
    private static func problem(with run: PageRun, granuleShift: UInt64) -> String? {
        guard run.pte.isPresent else { return "entry at granule 0x\(String(run.firstGranule, radix: 16)) is not present" }
        guard UInt64(run.pageShift) + granuleShift < 64 else { return "page shift \(run.pageShift) is past 64-bit pages" }
        let pageMask = run.pageGranules - 1
        guard run.firstGranule & pageMask == 0, run.granuleCount & pageMask == 0 else {
            return "block run at granule 0x\(String(run.firstGranule, radix: 16)) is not whole aligned pages"
        }
        let pageBytes = UInt64(1) << (UInt64(run.pageShift) + granuleShift)
        guard run.pte.phys & (pageBytes - 1) == 0 else { return "block at 0x\(String(run.pte.phys, radix: 16)) is not aligned to its size" }
        let (bytes, wide) = run.granuleCount.multipliedReportingOverflow(by: UInt64(1) << granuleShift)
        guard !wide, !run.pte.phys.addingReportingOverflow(bytes - 1).overflow else { return "run maps past the 64-bit physical range" }
        return nil
    }
}
