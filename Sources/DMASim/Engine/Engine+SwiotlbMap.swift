/// The two callers that bounce a buffer and hand back the bounce address:
/// `iommu_dma_map_swiotlb()` (IOMMU paths) and `swiotlb_map()` (dma-direct).
extension Engine {
    /// `iommu_dma_map_swiotlb()`: needs an active pool ("DMA bounce buffers are
    /// inactive" otherwise); slots aligned to the IOVA granule keeping the original's
    /// offset in it; for an untrusted device the rest of the granule (pre- and
    /// post-padding) is zeroed so it sees no leftover kernel data.
    func iommuMapSwiotlb(_ device: DeviceRuntime, domain: DMADomain, phys: UInt64, length: UInt64,
                         attributes: DMAAttributes, origin: BounceOrigin, into outcome: inout Outcome) -> BounceResult {
        guard swiotlbPool != nil else {
            warnOnce("iommu_dma_map_swiotlb", "\(device.spec.name): DMA bounce buffers are inactive, unable to map unaligned transaction.",
                     into: &outcome)
            return .failed
        }
        let bounced = swiotlbMapSingle(device, orig: phys, length: length, allocAlignMask: domain.granule.mask,
                                       attributes: attributes, origin: origin, into: &outcome)
        guard case .slot(let tlb) = bounced else { return bounced }
        if device.spec.isUntrusted {
            let granule = domain.granule
            cpuStore(phys: granule.alignDown(tlb), length: granule.offset(tlb), fill: .zero)
            let end = tlb + length
            cpuStore(phys: end, length: granule.alignUp(end) - end, fill: .zero)
        }
        return .slot(tlb)
    }

    /// `swiotlb_map()` for dma-direct: bounce with no alignment beyond the slot's, check
    /// that the device can reach the slot (`dma_capable`, else the slot is released
    /// without copying back and the map fails with "swiotlb addr … overflow"), then the
    /// cache clean for a non-coherent device.
    func swiotlbMap(_ device: DeviceRuntime, phys: UInt64, length: UInt64, attributes: DMAAttributes,
                    direction: DMADirection, origin: BounceOrigin, into outcome: inout Outcome) -> BounceResult {
        let bounced = swiotlbMapSingle(device, orig: phys, length: length, allocAlignMask: 0,
                                       attributes: attributes, origin: origin, into: &outcome)
        guard case .slot(let tlb) = bounced else { return bounced }
        guard dmaCapable(device, address: tlb, length: length) else {
            swiotlbUnmapSingle(device, tlb: tlb, length: length, direction: direction,
                               attributes: attributes.union(.skipCPUSync), into: &outcome)
            outcome.warnings.append(
                "\(device.spec.name): swiotlb addr 0x\(hex(tlb))+\(length) overflow (mask \(hex(device.spec.dmaMask)), bus limit 0).")
            return .failed
        }
        syncForDeviceIfNeeded(device, phys: tlb, length: length, attributes: attributes, into: &outcome)
        return .slot(tlb)
    }

    /// `dma_capable()`: the last byte is under the DMA mask (no `bus_dma_limit` modelled).
    func dmaCapable(_ device: DeviceRuntime, address: UInt64, length: UInt64) -> Bool {
        let (last, overflow) = address.addingReportingOverflow(max(length, 1) - 1)
        return !overflow && last <= device.spec.dmaMask
    }
}
