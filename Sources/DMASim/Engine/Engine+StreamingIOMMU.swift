/// The streaming API through the IOMMU: `iommu_dma_map_phys()`, `iommu_dma_unmap_phys()`
/// and `iommu_dma_sync_single_for_{cpu,device}()` (drivers/iommu/dma-iommu.c).
extension Engine {
    /// `iommu_dma_map_phys()`: an untrusted or kmalloc-unsafe buffer that is not granule
    /// aligned is bounced WHOLE, except MMIO, which is never bounced (mapped in place,
    /// whole granules exposed), and REQUIRE_COHERENT, which fails instead; the clean;
    /// then `__iommu_dma_map()`: allocate `iova_align(size + off)`, `iommu_map()` (nosync
    /// plus sync_map, so visible at once), return `iova + off`. A failed map gives the
    /// bounce slot back.
    func iommuMap(_ call: MapOp, device: DeviceRuntime, domain: DMADomain, owner: IOVAOwner,
                  outcome: inout Outcome) -> StreamingMapResult {
        let granule = domain.granule
        var phys = call.phys
        var bounce: UInt64?
        if !call.attributes.contains(.mmio) && needsSwiotlb(device, length: call.length, direction: call.direction)
            && !granule.isAligned(call.phys | call.length) {
            if call.attributes.contains(.requireCoherent) { return .failed }
            let bounced = iommuMapSwiotlb(device, domain: domain, phys: phys, length: call.length, attributes: call.attributes,
                                          origin: BounceOrigin(handle: call.mapping, path: .iommuMap), into: &outcome)
            guard case .slot(let tlb) = bounced else { return StreamingMapResult(stoppedBy: bounced)! }
            phys = tlb
            bounce = tlb
        }
        syncForDeviceIfNeeded(device, phys: phys, length: call.length, attributes: call.attributes, into: &outcome)
        guard let iova = iommuDMAMap(call, phys: phys, device: device, domain: domain, owner: owner, bounced: bounce != nil,
                                     outcome: &outcome) else {
            if let bounce {
                swiotlbUnmapSingle(device, tlb: bounce, length: call.length, direction: call.direction,
                                   attributes: call.attributes, into: &outcome)
            }
            return .failed
        }
        return .mapped(StreamingMap(dmaAddress: iova, bounceAddress: bounce))
    }

    /// `__iommu_dma_map()`. A device whose `min_align_mask` reaches above the granule
    /// cannot be served ("If anyone ever wants this we'd need support in the IOVA
    /// allocator"): `dev_WARN_ONCE(…, "Unsupported alignment constraint")` and
    /// `DMA_MAPPING_ERROR`, before any IOVA is taken; a bounce made before it is given
    /// back by the caller.
    private func iommuDMAMap(_ call: MapOp, phys: UInt64, device: DeviceRuntime, domain: DMADomain, owner: IOVAOwner,
                             bounced: Bool, outcome: inout Outcome) -> UInt64? {
        guard minAlignMask(device) <= domain.granule.mask else {
            warnOnce("__iommu_dma_map", "\(device.spec.name): Unsupported alignment constraint", into: &outcome)
            return nil
        }
        let pad = domain.granule.offset(phys)
        let sizeBytes = alignedSize(call.length, pad: pad, granule: domain.granule, call: "dma_map_phys", handle: call.mapping, into: &outcome)
        let iova = domain.allocIOVA(sizeBytes: sizeBytes, dmaMask: device.spec.dmaMask, device: device, outcome: &outcome)
        guard iova != 0 else { return nil }
        let prot = IOMMUProt(direction: call.direction, coherent: device.spec.coherent, attributes: call.attributes)
        if domain.mapNoSync(iova: iova, phys: phys - pad, sizeBytes: sizeBytes, prot: prot, path: mapPath(for: domain), outcome: &outcome) != nil {
            domain.freeIOVA(iova: iova, sizeBytes: sizeBytes, queued: false, outcome: &outcome)
            return nil
        }
        domain.syncMap(iova: iova, sizeBytes: sizeBytes, outcome: &outcome)
        if sizeBytes > 0 {
            domain.owners.assign(first: iova, last: iova + (sizeBytes - 1), to: owner, displacingInto: &retirementCandidates)
        }
        outcome.ranges = [MappedRange(iova: iova, phys: phys - pad, length: sizeBytes, prot: prot, bounced: bounced)]
        return iova + pad
    }

    /// `iommu_dma_unmap_phys()`: MMIO and REQUIRE_COHERENT go straight to
    /// `__iommu_dma_unmap()`; else `iova_to_phys` (WARN on 0), the invalidate,
    /// `__iommu_dma_unmap()`, then `swiotlb_tbl_unmap_single()` (copy-back, slot freed).
    func iommuUnmap(_ dmaAddress: UInt64, _ call: UnmapOp, device: DeviceRuntime, domain: DMADomain,
                    outcome: inout Outcome) {
        if call.attributes.refusesBounce {
            return iommuDMAUnmap(dmaAddress, call, domain: domain, outcome: &outcome)
        }
        let phys = domain.iovaToPhys(dmaAddress)
        guard phys != 0 else {
            outcome.warnings.append("WARN_ON(!phys): nothing mapped at dma address 0x\(hex(dmaAddress))")
            return
        }
        syncForCPUIfNeeded(device, phys: phys, length: call.length, direction: call.direction,
                           attributes: call.attributes, into: &outcome)
        iommuDMAUnmap(dmaAddress, call, domain: domain, outcome: &outcome)
        swiotlbUnmapSingle(device, tlb: phys, length: call.length, direction: call.direction,
                           attributes: call.attributes, into: &outcome)
    }

    /// `__iommu_dma_unmap()`: unmap, IOTLB sync or flush queue, IOVA free.
    private func iommuDMAUnmap(_ dmaAddress: UInt64, _ call: UnmapOp, domain: DMADomain, outcome: inout Outcome) {
        let pad = domain.granule.offset(dmaAddress)
        let iova = dmaAddress - pad
        let sizeBytes = alignedSize(call.length, pad: pad, granule: domain.granule, call: "dma_unmap_phys", handle: call.mapping, into: &outcome)
        let queued = domain.usesFlushQueue
        let unmapped = domain.unmap(iova: iova, sizeBytes: sizeBytes)
        if unmapped != sizeBytes {
            outcome.warnings.append("WARN_ON(unmapped != size): unmapped 0x\(hex(unmapped)) of 0x\(hex(sizeBytes)) at iova 0x\(hex(iova))")
            outcome.events.append(SideEvent(.kernelWarning, address: iova, length: sizeBytes))
        }
        if !queued { domain.iotlbSync(iova: iova, sizeBytes: unmapped, outcome: &outcome) }
        domain.freeIOVA(iova: iova, sizeBytes: sizeBytes, queued: queued, outcome: &outcome)
    }

    /// `iommu_dma_sync_single_for_{device,cpu}()`: nothing for a coherent device that
    /// needs no bounce; else, at `iova_to_phys(addr)`, the swiotlb copy and the cache
    /// maintenance, in the kernel's order (copy then clean; invalidate then copy back).
    func iommuSync(_ dmaAddress: UInt64, _ call: StreamingSyncOp, forDevice: Bool, device: DeviceRuntime,
                   domain: DMADomain, outcome: inout Outcome) {
        if device.spec.coherent && !needsSwiotlb(device, length: call.length, direction: call.direction) { return }
        let phys = domain.iovaToPhys(dmaAddress)
        guard phys != 0 else { return }
        syncAt(phys, call, forDevice: forDevice, device: device, outcome: &outcome)
    }

    /// The swiotlb copy and cache maintenance of a sync at physical address `phys`.
    func syncAt(_ phys: UInt64, _ call: StreamingSyncOp, forDevice: Bool, device: DeviceRuntime, outcome: inout Outcome) {
        if forDevice {
            swiotlbSyncForDevice(device, tlb: phys, length: call.length, direction: call.direction, into: &outcome)
            if !device.spec.coherent { archSyncForDevice(phys: phys, length: call.length, into: &outcome) }
        } else {
            if !device.spec.coherent { archSyncForCPU(phys: phys, length: call.length, direction: call.direction, into: &outcome) }
            swiotlbSyncForCPU(device, tlb: phys, length: call.length, direction: call.direction, into: &outcome)
        }
    }
}
