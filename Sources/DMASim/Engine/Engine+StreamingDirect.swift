/// The streaming API without an IOMMU: dma-direct (kernel/dma/direct.h, direct.c).
/// The bus address is the physical address, or a swiotlb slot's.
extension Engine {
    /// `dma_direct_map_phys()` (kernel/dma/direct.c): under `swiotlb=force` everything is
    /// bounced, except MMIO and REQUIRE_COHERENT mappings, which fail without a word, and
    /// CC_SHARED ones (7.1+), which are mapped in place; CC_SHARED without `swiotlb=force`
    /// fails; an MMIO or CC_SHARED range only has to be reachable; otherwise a buffer the device cannot reach
    /// (`!dma_capable`) or a kmalloc buffer that needs it is bounced when swiotlb is
    /// active (never for REQUIRE_COHERENT), else `DMA_MAPPING_ERROR` with the "overflow"
    /// dev_WARN; then the clean for a non-coherent device (not for MMIO).
    func directMap(_ call: MapOp, device: DeviceRuntime, outcome: inout Outcome) -> StreamingMapResult {
        let attributes = call.attributes
        let forced = swiotlb?.force == true
        if forced && !attributes.contains(.ccShared) {
            if attributes.refusesBounce { return .failed }
            return bounceDirect(call, device: device, path: .directForced, outcome: &outcome)
        }
        // CC_SHARED (7.1+) is only for a device that bounces everything: elsewhere
        // DMA_MAPPING_ERROR, without a word ("This is defensive").
        if !forced && attributes.contains(.ccShared) { return .failed }
        let capable = dmaCapable(device, address: call.phys, length: call.length)
        if !attributes.isDisjoint(with: [.mmio, .ccShared]) {
            // dma_addr = phys (MMIO) or phys_to_dma_unencrypted() (CC_SHARED; the same
            // address on a machine without memory encryption): reachable or the overflow.
            guard capable else { return directOverflow(call, device: device, outcome: &outcome) }
        } else if !capable || (swiotlbPool != nil && kmallocNeedsBounce(device, length: call.length, direction: call.direction)) {
            guard swiotlbPool != nil, !attributes.contains(.requireCoherent) else {
                return directOverflow(call, device: device, outcome: &outcome)
            }
            return bounceDirect(call, device: device, path: capable ? .directKmalloc : .directBeyondMask, outcome: &outcome)
        }
        syncForDeviceIfNeeded(device, phys: call.phys, length: call.length, attributes: attributes, into: &outcome)
        let prot = IOMMUProt(direction: call.direction, coherent: device.spec.coherent, attributes: attributes)
        outcome.ranges = [MappedRange(iova: call.phys, phys: call.phys, length: call.length, prot: prot, bounced: false)]
        return .mapped(StreamingMap(dmaAddress: call.phys, bounceAddress: nil))
    }

    /// `err_overflow:` the dev_WARN_ONCE and `DMA_MAPPING_ERROR`.
    private func directOverflow(_ call: MapOp, device: DeviceRuntime, outcome: inout Outcome) -> StreamingMapResult {
        outcome.warnings.append(
            "\(device.spec.name): DMA addr 0x\(hex(call.phys))+\(call.length) overflow (mask \(hex(device.spec.dmaMask)), bus limit 0).")
        return .failed
    }

    /// `swiotlb_map()`: the bus address is the slot's.
    private func bounceDirect(_ call: MapOp, device: DeviceRuntime, path: BouncePath, outcome: inout Outcome) -> StreamingMapResult {
        let bounced = swiotlbMap(device, phys: call.phys, length: call.length, attributes: call.attributes,
                                 direction: call.direction, origin: BounceOrigin(handle: call.mapping, path: path), into: &outcome)
        guard case .slot(let tlb) = bounced else { return StreamingMapResult(stoppedBy: bounced)! }
        let prot = IOMMUProt(direction: call.direction, coherent: device.spec.coherent, attributes: call.attributes)
        outcome.ranges = [MappedRange(iova: tlb, phys: tlb, length: call.length, prot: prot, bounced: true)]
        return .mapped(StreamingMap(dmaAddress: tlb, bounceAddress: tlb))
    }

    /// `dma_direct_unmap_phys()`: nothing at all for MMIO and REQUIRE_COHERENT ("uncached
    /// and no swiotlb"); else, unless SKIP_CPU_SYNC, `dma_direct_sync_single_for_cpu()`
    /// (invalidate, copy back from the slot); then the slot is freed without a second copy.
    func directUnmap(_ dmaAddress: UInt64, _ call: UnmapOp, device: DeviceRuntime, outcome: inout Outcome) {
        if call.attributes.refusesBounce { return }
        if !call.attributes.skipsCacheMaintenance {
            let sync = StreamingSyncOp(mapping: call.mapping, offset: 0, length: call.length, direction: call.direction)
            syncAt(dmaAddress, sync, forDevice: false, device: device, outcome: &outcome)
        }
        swiotlbUnmapSingle(device, tlb: dmaAddress, length: call.length, direction: call.direction,
                           attributes: call.attributes.union(.skipCPUSync), into: &outcome)
    }

    /// `dma_direct_sync_single_for_{device,cpu}()` at `dma_to_phys(addr)`.
    func directSync(_ dmaAddress: UInt64, _ call: StreamingSyncOp, forDevice: Bool, device: DeviceRuntime,
                    outcome: inout Outcome) {
        syncAt(dmaAddress, call, forDevice: forDevice, device: device, outcome: &outcome)
    }
}
