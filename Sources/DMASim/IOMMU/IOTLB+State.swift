/// Cached translations by ascending page, stale ones included: the lazy-mode window
/// where a device still reaches freed memory is part of what a checkpoint must keep.
/// Version 6 writes each page's first granule (as the gap from the previous one), its
/// page shift and its PTE word; versions 3 to 5 cached granule pages only (`wordMap`).
extension IOTLB {
    func encode(to writer: inout StateWriter) {
        let keys = cached.keys.sorted()
        writer.varint(keys.count)
        var previousGranule: UInt64 = 0
        var previousWord: UInt64 = 0
        for key in keys {
            // Invariant: `keys` are cached.keys.
            let word = cached[key]!.raw
            writer.varint(key.firstGranule - previousGranule)
            writer.byte(key.pageShift)
            writer.signed(Int64(bitPattern: word &- previousWord))
            previousGranule = key.firstGranule
            previousWord = word
        }
    }

    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        self.init()
        guard version >= EngineStateFormat.blockPTEsVersion else {
            for (granule, raw) in try reader.wordMap("iotlb") { fill(PageLeaf(firstGranule: granule, pageShift: 0, pte: PageTableEntry(raw: raw))) }
            return
        }
        let count = try reader.count("iotlb", minimumBytes: 3)
        var previous: Key?
        var previousWord: UInt64 = 0
        for _ in 0..<count {
            let start = reader.offset
            let (granule, wrapped) = (previous?.firstGranule ?? 0).addingReportingOverflow(try reader.varint("iotlb page"))
            let key = Key(firstGranule: granule, pageShift: try reader.byte("iotlb page shift"))
            previousWord &+= UInt64(bitPattern: try reader.signed("iotlb entry"))
            guard !wrapped, key.pageShift < 64, granule & ((UInt64(1) << UInt64(key.pageShift)) - 1) == 0,
                  previous.map({ $0 < key }) ?? true else {
                throw reader.invalid("iotlb", "page 0x\(String(granule, radix: 16)) is out of order, unaligned or past the 64-bit range", at: start)
            }
            fill(PageLeaf(firstGranule: granule, pageShift: key.pageShift, pte: PageTableEntry(raw: previousWord)))
            previous = key
        }
    }
}
