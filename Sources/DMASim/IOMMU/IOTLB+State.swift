/// Cached translations by ascending page, stale ones included: the lazy-mode window
/// where a device still reaches freed memory is part of what a checkpoint must keep.
/// Version 6 writes each page's first granule (as the gap from the previous one), its
/// page shift and its PTE word; versions 3 to 5 cached granule pages only (`wordMap`).
/// Version 10 adds each entry's provenance: the seq of the op that filled it, and the seq
/// of the op that made it stale plus one (0: not stale). Entries read from older versions
/// have none: filled at seq -1, which `dmajournal state` prints as unknown.

extension IOTLB {
    func encode(to writer: inout StateWriter) {
        let keys = cached.keys.sorted()
        writer.varint(keys.count)
        var previousGranule: UInt64 = 0
        var previousWord: UInt64 = 0
        for key in keys {
            // Invariant: `keys` are cached.keys.
            let entry = cached[key]!
            let word = entry.pte.raw
            writer.varint(key.firstGranule - previousGranule)
            writer.byte(key.pageShift)
            writer.signed(Int64(bitPattern: word &- previousWord))
            writer.varint(entry.provenance.filledAt)
            writer.varint(entry.provenance.staleSince.map { $0 + 1 } ?? 0)
            previousGranule = key.firstGranule
            previousWord = word
        }
    }

    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        self.init()
        guard version >= EngineStateFormat.blockPTEsVersion else {
            for (granule, raw) in try reader.wordMap("iotlb") {
                fill(PageLeaf(firstGranule: granule, pageShift: 0, pte: PageTableEntry(raw: raw)), provenance: .unknown)
            }
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
            var provenance = Provenance.unknown
            if version >= EngineStateFormat.iotlbProvenanceVersion {
                provenance.filledAt = try reader.int("iotlb entry filled at", in: 0...Int.max - 1)
                let staleSince = try reader.int("iotlb entry stale since", in: 0...Int.max)
                provenance.staleSince = staleSince == 0 ? nil : staleSince - 1
            }
            guard !wrapped, key.pageShift < 64, granule & ((UInt64(1) << UInt64(key.pageShift)) - 1) == 0,
                  previous.map({ $0 < key }) ?? true else {
                throw reader.invalid("iotlb", "page 0x\(String(granule, radix: 16)) is out of order, unaligned or past the 64-bit range", at: start)
            }
            fill(PageLeaf(firstGranule: granule, pageShift: key.pageShift, pte: PageTableEntry(raw: previousWord)), provenance: provenance)
            previous = key
        }
    }
}

extension IOTLB.Provenance {
    /// An entry restored from a state written before version 10.
    static let unknown = IOTLB.Provenance(filledAt: -1, staleSince: nil)
}
