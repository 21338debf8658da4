/// A domain's parts in a fixed order. Its IOMMU is not written here: the domain table is
/// grouped by IOMMU (`Engine+StateTopology`), which hands the spec back when decoding.
/// Version 8: a flush queue per CPU with the flush counts and the timer's state; before,
/// one queue.
extension DMADomain {
    func encode(to writer: inout StateWriter) {
        allocator.encode(to: &writer)
        pageTable.encode(to: &writer)
        iotlb.encode(to: &writer)
        writer.array(flushQueues) { $1.encode(to: &$0) }
        writer.varint(flushStartCount)
        writer.varint(flushFinishCount)
        writer.bool(flushTimerOn)
        writer.varint(flushTimerCPU)
        owners.encode(to: &writer)
        mode.encode(to: &writer)
    }

    /// `iommu` must have passed the checks of an `iommu` declaration (granule, fq size).
    static func decoding(on iommu: IOMMUSpec, from reader: inout StateReader, links: DecodingLinks)
        throws(EngineStateError) -> DMADomain {
        let version = links.version
        let allocator = try IOVAAllocator(from: &reader, version: version)
        let pageTable = try IOPageTable(from: &reader, granuleShift: UInt64(iommu.granuleBytes.trailingZeroBitCount), version: version)
        let iotlb = try IOTLB(from: &reader, version: version)
        let queues: [FlushQueue]
        var counts: (start: UInt64, finish: UInt64, timerOn: Bool, timerCPU: Int) = (0, 0, false, 0)
        if version >= EngineStateFormat.perCPUVersion {
            queues = try reader.array("flush queues") { reader throws(EngineStateError) in
                try FlushQueue(from: &reader, slots: iommu.flushQueueSlots, version: version)
            }
            let start = reader.offset
            counts = (try reader.varint("flush start count"), try reader.varint("flush finish count"),
                      try reader.bool("flush timer on"), try reader.int("flush timer cpu", in: 0...MachineSpec.maxCPUCount - 1))
            guard counts.finish <= counts.start else { throw reader.invalid("flush counts", "more flushes finished than started", at: start) }
        } else {
            let queue = try FlushQueue(from: &reader, slots: iommu.flushQueueSlots, version: version)
            queues = queue.isEmpty ? [] : [queue]
        }
        let owners = try IOVAOwnerMap(from: &reader, links: links)
        // Version 7: the domain's own type (an untrusted device's group is strict).
        let start = reader.offset
        let mode = links.version >= EngineStateFormat.kernel73Version ? try IOMMUMode(from: &reader, "domain mode") : iommu.mode
        guard mode != .passthrough else { throw reader.invalid("domain mode", "a DMA domain is never passthrough", at: start) }
        let domain = DMADomain(iommu: iommu, mode: mode, allocator: allocator, pageTable: pageTable, iotlb: iotlb,
                               flushQueues: queues, owners: owners)
        domain.flushStartCount = counts.start
        domain.flushFinishCount = counts.finish
        domain.flushTimerOn = counts.timerOn
        domain.flushTimerCPU = counts.timerCPU
        return domain
    }
}
