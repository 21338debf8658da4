extension IOMMUMode: StateTagged {
    static let stateOrder: [IOMMUMode] = [.strict, .lazy, .passthrough]
}

extension IOMMUSpec {
    func encode(to writer: inout StateWriter) {
        writer.string(name)
        mode.encode(to: &writer)
        writer.varint(granuleBytes)
        writer.varint(apertureBits)
        writer.varint(flushQueueSlots)
        writer.flags(needsSyncMap, forceDAC, explicitFlushTimer)
        writer.array(reservedRanges) { writer, range in
            writer.varint(range.lowerBound)
            writer.varint(range.upperBound - range.lowerBound)
        }
        writer.varint(pageSizes)
    }

    /// The values only; the engine checks them with the rules of an `iommu` declaration.
    /// Before version 6 every PTE was one granule: the bitmap is the granule alone.
    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        let name = try reader.string("iommu name")
        let mode = try IOMMUMode(from: &reader, "iommu mode")
        let granuleBytes = try reader.varint("iommu granule")
        let apertureBits = try reader.int("iommu aperture bits", in: 0...64)
        let flushQueueSlots = try reader.int("iommu fq size", in: 0...Int(Int32.max))
        // Version 9 added the explicit flush timer.
        let flags = try reader.flags("iommu flags", count: version >= EngineStateFormat.explicitTimerVersion ? 3 : 2)
        let reservedRanges = try reader.array("iommu reserved ranges") { reader throws(EngineStateError) in
            let start = reader.offset
            let lower = try reader.varint("reserved range start")
            let (upper, overflow) = lower.addingReportingOverflow(try reader.varint("reserved range size"))
            guard !overflow else { throw reader.invalid("reserved range", "ends past the 64-bit range", at: start) }
            return lower...upper
        }
        let pageSizes = version >= EngineStateFormat.blockPTEsVersion ? try reader.varint("iommu page sizes") : granuleBytes
        self.init(name: name, mode: mode, granuleBytes: granuleBytes, pageSizes: pageSizes, apertureBits: apertureBits,
                  needsSyncMap: flags[0], flushQueueSlots: flushQueueSlots, forceDAC: flags[1], reservedRanges: reservedRanges,
                  explicitFlushTimer: version >= EngineStateFormat.explicitTimerVersion && flags[2])
    }
}
