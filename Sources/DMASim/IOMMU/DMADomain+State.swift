/// A domain's parts in a fixed order. Its IOMMU is not written here: the domain table is
/// grouped by IOMMU (`Engine+StateTopology`), which hands the spec back when decoding.
extension DMADomain {
    func encode(to writer: inout StateWriter) {
        allocator.encode(to: &writer)
        pageTable.encode(to: &writer)
        iotlb.encode(to: &writer)
        flushQueue.encode(to: &writer)
        owners.encode(to: &writer)
        mode.encode(to: &writer)
    }

    /// `iommu` must have passed the checks of an `iommu` declaration (granule, fq size).
    static func decoding(on iommu: IOMMUSpec, from reader: inout StateReader, links: DecodingLinks)
        throws(EngineStateError) -> DMADomain {
        let allocator = try IOVAAllocator(from: &reader)
        let pageTable = try IOPageTable(from: &reader, granuleShift: UInt64(iommu.granuleBytes.trailingZeroBitCount), version: links.version)
        let iotlb = try IOTLB(from: &reader, version: links.version)
        let flushQueue = try FlushQueue(from: &reader, slots: iommu.flushQueueSlots)
        let owners = try IOVAOwnerMap(from: &reader, links: links)
        // Version 6: the domain's own type (an untrusted device's group is strict).
        let start = reader.offset
        let mode = links.version >= EngineStateFormat.kernel73Version ? try IOMMUMode(from: &reader, "domain mode") : iommu.mode
        guard mode != .passthrough else { throw reader.invalid("domain mode", "a DMA domain is never passthrough", at: start) }
        return DMADomain(iommu: iommu, mode: mode, allocator: allocator, pageTable: pageTable, iotlb: iotlb,
                         flushQueue: flushQueue, owners: owners)
    }
}
