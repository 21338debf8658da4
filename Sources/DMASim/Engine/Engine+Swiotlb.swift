/// Bounce buffering through the swiotlb pool (kernel/dma/swiotlb.c, and
/// `iommu_dma_map_swiotlb()` in drivers/iommu/dma-iommu.c). Every copy is a CPU copy,
/// so on a machine with non-coherent devices it goes through the cache model: the
/// bounce slot's new bytes sit dirty in the cache until a clean, as on real hardware.
extension Engine {
    /// `dma_get_min_align_mask(dev)`: what the driver set with `dma_set_min_align_mask()`,
    /// 0 by default. Only with it does a bounce slot repeat the original's in-granule
    /// offset, which `iommu_dma_iova_bounce_and_link()` needs to link the slot's granule
    /// (NVMe sets `NVME_CTRL_PAGE_SIZE - 1`).
    func minAlignMask(_ device: DeviceRuntime) -> UInt64 { device.spec.minAlignMask }

    /// `swiotlb_tbl_map_single(dev, orig, size, alloc_align_mask, dir, attrs)`: slots,
    /// then an unconditional copy original → bounce (`swiotlb_bounce(…, DMA_TO_DEVICE)`,
    /// whatever `dir`: a device that writes only part of the buffer must not expose
    /// stale slot contents). `.failed` with the "buffer is full" warning when no slots
    /// fit; `.oops` when the original is outside the direct map, the slots kept taken,
    /// or when the request is for 0 bytes with no offset to keep (`BUG_ON(!nslots)`,
    /// nothing taken).
    func swiotlbMapSingle(_ device: DeviceRuntime, orig: UInt64, length: UInt64, allocAlignMask: UInt64,
                          attributes: DMAAttributes, origin: BounceOrigin, into outcome: inout Outcome) -> BounceResult {
        let request = SwiotlbPool.Request(orig: orig, mappingBytes: length, allocAlignMask: allocAlignMask,
                                          minAlignMask: minAlignMask(device))
        // "If a mapping is requested with larger alignment, the mapping may be unable to
        // use the initial slot(s) in all sets of IO_TLB_SEGSIZE slots" (a granule above
        // PAGE_SIZE on the IOMMU paths): dev_WARN_ONCE, and the map goes on.
        if swiotlbPool != nil && allocAlignMask > SwiotlbPool.pageBytes - 1 {
            warnOnce("swiotlb_tbl_map_single", "\(device.spec.name): Alloc alignment may prevent fulfilling requests with max mapping_size",
                     into: &outcome)
        }
        if swiotlbPool != nil && SwiotlbPool.asksForNoSlot(request) {
            bugOnZeroSlots(device, orig: orig, origin: origin, into: &outcome)
            return .oops
        }
        switch swiotlbPool?.mapSingle(request) {
        case .success(let tlb)?:
            device.skipsSync = false  // swiotlb_tbl_map_single() → dma_reset_need_sync(), before its bounce copy
            guard length == 0 || isDirectMapped(phys: orig, length: length) else {
                oopsInBounceCopy(device, orig: orig, length: length, origin: origin, into: &outcome)
                return .oops
            }
            swiotlbBounce(device, tlb: tlb, length: length, toDevice: true, into: &outcome)
            return .slot(tlb)
        case .failure(let full)?:
            if !attributes.contains(.noWarn) {
                outcome.warnings.append("\(device.spec.name): swiotlb buffer is full (sz: \(full.sizeBytes) bytes), total \(full.totalSlots) (slots), used \(full.usedSlots) (slots)")
            }
            return .failed
        case nil:
            return .failed
        }
    }

    /// `swiotlb_tbl_unmap_single()`: only for an address inside the pool; copies back
    /// for FROM_DEVICE and BIDIRECTIONAL unless `DMA_ATTR_SKIP_CPU_SYNC`, then frees the
    /// slots.
    func swiotlbUnmapSingle(_ device: DeviceRuntime, tlb: UInt64, length: UInt64, direction: DMADirection,
                            attributes: DMAAttributes, into outcome: inout Outcome) {
        guard swiotlbPool?.contains(tlb) == true else { return }
        if !attributes.contains(.skipCPUSync) && direction.deviceMayWrite {
            swiotlbBounce(device, tlb: tlb, length: length, toDevice: false, into: &outcome)
        }
        guard swiotlbPool?.isAllocated(tlb) == true else {
            outcome.warnings.append("swiotlb_tbl_unmap_single of 0x\(hex(tlb)), whose slots are already free (release skipped)")
            return
        }
        swiotlbPool?.release(tlb: tlb, minAlignMask: minAlignMask(device))
    }

    /// `swiotlb_sync_single_for_device()`: original → bounce for TO_DEVICE and BIDIRECTIONAL.
    func swiotlbSyncForDevice(_ device: DeviceRuntime, tlb: UInt64, length: UInt64, direction: DMADirection,
                              into outcome: inout Outcome) {
        guard swiotlbPool?.contains(tlb) == true, direction.deviceMayRead else { return }
        swiotlbBounce(device, tlb: tlb, length: length, toDevice: true, into: &outcome)
    }

    /// `swiotlb_sync_single_for_cpu()`: bounce → original for FROM_DEVICE and BIDIRECTIONAL.
    func swiotlbSyncForCPU(_ device: DeviceRuntime, tlb: UInt64, length: UInt64, direction: DMADirection,
                           into outcome: inout Outcome) {
        guard swiotlbPool?.contains(tlb) == true, direction.deviceMayWrite else { return }
        swiotlbBounce(device, tlb: tlb, length: length, toDevice: false, into: &outcome)
    }

    /// `swiotlb_bounce()`: the copy, cut at the end of the allocation with the kernel's
    /// "Buffer overflow detected" warning; nothing for a free slot.
    private func swiotlbBounce(_ device: DeviceRuntime, tlb: UInt64, length: UInt64, toDevice: Bool,
                               into outcome: inout Outcome) {
        guard let span = swiotlbPool?.bounceSpan(tlb: tlb, lengthBytes: length, minAlignMask: minAlignMask(device)) else { return }
        if let overflow = span.overflow {
            outcome.warnings.append("\(device.spec.name): Buffer overflow detected. Allocation size: \(overflow.allocationBytes). Mapping size: \(overflow.mappingBytes).")
        }
        guard span.lengthBytes > 0 else { return }
        if toDevice {
            cpuCopy(from: span.orig, to: span.tlb, length: span.lengthBytes)
            outcome.events.append(SideEvent(.bounceToDevice, address: span.orig, length: span.lengthBytes, target: span.tlb))
        } else {
            cpuCopy(from: span.tlb, to: span.orig, length: span.lengthBytes)
            outcome.events.append(SideEvent(.bounceToCPU, address: span.tlb, length: span.lengthBytes, target: span.orig))
        }
    }
}
