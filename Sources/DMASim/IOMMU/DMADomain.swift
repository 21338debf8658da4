/// A device's default DMA domain with its IOVA cookie: the IOVA allocator, the I/O page
/// table, the IOTLB and (lazy mode) the flush queue. Devices in one IOMMU group share it.
///
/// The methods mirror the kernel functions they model; each says which. They append what
/// they did (IOTLB maintenance, IOVA frees, WARNs) to the caller's `Outcome`.
final class DMADomain {
    let iommu: IOMMUSpec
    /// The domain's type: the IOMMU's mode (strict or lazy), except that a group with an
    /// untrusted device always gets a strict DMA domain (`iommu_get_default_domain_type()`).
    let mode: IOMMUMode
    let granule: Granule
    /// `geometry.aperture_end`.
    let apertureEnd: UInt64
    var allocator: IOVAAllocator
    var pageTable: IOPageTable
    var iotlb: IOTLB
    var flushQueue: FlushQueue
    /// Which state or mapping last owned each IOVA range: the checker's memory of what the
    /// kernel forgets.
    var owners: IOVAOwnerMap

    /// A fresh domain (`iommu_dma_init_domain()`).
    convenience init(iommu: IOMMUSpec, mode: IOMMUMode? = nil) {
        let granule = Granule(bytes: iommu.granuleBytes)
        // iommu_dma_init_domain(): base_pfn = max(1, aperture_start >> order) with
        // aperture_start 0, so IOVA 0 is never handed out and can mean "failed".
        var allocator = IOVAAllocator(granuleShift: granule.shift, startPfn: 1)
        for range in iommu.reservedRanges {
            allocator.reserve(pfnLo: granule.pfn(range.lowerBound), pfnHi: granule.pfn(range.upperBound))
        }
        self.init(iommu: iommu, mode: mode, allocator: allocator, flushQueue: FlushQueue(slots: iommu.flushQueueSlots))
    }

    /// A domain with the given parts: a fresh one, or one restored from an engine state.
    init(iommu: IOMMUSpec, mode: IOMMUMode? = nil, allocator: IOVAAllocator, pageTable: IOPageTable = IOPageTable(),
         iotlb: IOTLB = IOTLB(), flushQueue: FlushQueue, owners: IOVAOwnerMap = IOVAOwnerMap()) {
        self.iommu = iommu
        self.mode = mode ?? iommu.mode
        self.granule = Granule(bytes: iommu.granuleBytes)
        self.apertureEnd = .dmaBitMask(iommu.apertureBits)
        self.allocator = allocator
        self.pageTable = pageTable
        self.iotlb = iotlb
        self.flushQueue = flushQueue
        self.owners = owners
    }

    /// `cookie->fq_domain` is set: unmaps queue their IOTLB flush and IOVA free.
    var usesFlushQueue: Bool { mode == .lazy }

    // MARK: iommu_dma_alloc_iova

    /// `iommu_dma_alloc_iova()`: `sizeBytes` is granule aligned. Returns 0 on failure.
    func allocIOVA(sizeBytes: UInt64, dmaMask: UInt64, device: DeviceRuntime, outcome: inout Outcome) -> UInt64 {
        let pageCount = sizeBytes >> granule.shift
        let dmaLimit = min(dmaMask, apertureEnd)  // force_aperture; no bus_dma_limit modelled
        // "Try to use all the 32-bit PCI addresses first."
        if dmaLimit > .dmaBitMask(32) && device.pci32BitWorkaround {
            let pfn = allocator.allocFast(pageCount: pageCount, limitPfn: UInt64.dmaBitMask(32) >> granule.shift, flushCachesOnFailure: false)
            if pfn != 0 { return granule.address(ofPfn: pfn) }
            device.pci32BitWorkaround = false
            let bits = dmaLimit.flsLong
            outcome.events.append(SideEvent(.dacEnabled, length: UInt64(bits)))
            outcome.warnings.append("\(device.spec.name): Using \(bits)-bit DMA addresses")
        }
        let pfn = allocator.allocFast(pageCount: pageCount, limitPfn: dmaLimit >> granule.shift, flushCachesOnFailure: true)
        return granule.address(ofPfn: pfn)
    }

    // MARK: iommu_map_nosync / iommu_sync_map

    /// `iommu_map_nosync()`: aligned iova, paddr and size, one PTE per granule. A present
    /// PTE stops it with -EEXIST (io-pgtable-arm's WARN), and what this call had mapped is
    /// unrolled with `iommu_unmap()`, which syncs the IOTLB. Misaligned: the generic page
    /// table (`pt_iommu_map_range()`, 7.3's VT-d and AMD) returns -ENXIO having mapped
    /// nothing (the lab's zero-size `iommu:map`); `__iommu_map_domain_pgtbl()` -EINVAL
    /// with its "unaligned" pr_err.
    func mapNoSync(iova: UInt64, phys: UInt64, sizeBytes: UInt64, prot: IOMMUProt, genericPageTable: Bool,
                   outcome: inout Outcome) -> Errno? {
        guard granule.isAligned(iova | phys | sizeBytes) else {
            if genericPageTable { return .ENXIO }
            outcome.warnings.append(
                "unaligned: iova 0x\(hex(iova)) pa 0x\(hex(phys)) size 0x\(hex(sizeBytes)) min_pagesz 0x\(hex(granule.bytes))")
            return .EINVAL
        }
        let first = granule.pfn(iova)
        let count = sizeBytes >> granule.shift
        let visible = !iommu.needsSyncMap
        for index in 0..<count {
            if pageTable.entry(first + index).isPresent {
                outcome.warnings.append("WARN: map over a present PTE at iova 0x\(hex(granule.address(ofPfn: first + index)))")
                unmapAndSync(iova: iova, sizeBytes: granule.address(ofPfn: index), outcome: &outcome)
                return .EEXIST
            }
            let pte = PageTableEntry(phys: phys + granule.address(ofPfn: index), prot: prot, visible: visible)
            pageTable.install(first + index, pte)
        }
        return nil
    }

    /// `iommu_sync_map()`: on a needs-sync-map IOMMU the queued PTEs reach the hardware.
    /// Elsewhere the driver has no `iotlb_sync_map` and it does nothing.
    func syncMap(iova: UInt64, sizeBytes: UInt64, outcome: inout Outcome) {
        guard iommu.needsSyncMap else { return }
        outcome.events.append(SideEvent(.iotlbSyncMap, address: iova, length: sizeBytes))
        let first = granule.pfn(iova)
        for index in 0..<(sizeBytes >> granule.shift) {
            let pte = pageTable.entry(first + index)
            if pte.isPresent && !pte.isVisible { pageTable.update(first + index, pte.madeVisible()) }
        }
    }

    // MARK: unmap, IOTLB sync, IOVA free

    /// `__iommu_unmap()`: clears PTEs from `iova` until `sizeBytes` are done or the first
    /// hole. Returns the bytes unmapped; a misaligned request unmaps nothing.
    func unmap(iova: UInt64, sizeBytes: UInt64) -> UInt64 {
        guard granule.isAligned(iova | sizeBytes) else { return 0 }
        let first = granule.pfn(iova)
        var done: UInt64 = 0
        while done < sizeBytes >> granule.shift, pageTable.entry(first + done).isPresent {
            pageTable.clear(first + done)
            done += 1
        }
        return granule.address(ofPfn: done)
    }

    /// `iommu_unmap()`: unmap then a synchronous IOTLB invalidation.
    func unmapAndSync(iova: UInt64, sizeBytes: UInt64, outcome: inout Outcome) {
        let unmapped = unmap(iova: iova, sizeBytes: sizeBytes)
        iotlbSync(iova: iova, sizeBytes: unmapped, outcome: &outcome)
    }

    /// `iommu_iotlb_sync()` over the gathered range.
    func iotlbSync(iova: UInt64, sizeBytes: UInt64, outcome: inout Outcome) {
        guard sizeBytes > 0 else { return }
        iotlb.invalidate(from: granule.pfn(iova), count: sizeBytes >> granule.shift)
        outcome.events.append(SideEvent(.iotlbInvalidate, address: iova, length: sizeBytes))
    }

    /// `iommu_dma_free_iova()`: straight to `free_iova_fast()`, or onto the flush queue
    /// when the unmap's gather was queued (lazy mode).
    func freeIOVA(iova: UInt64, sizeBytes: UInt64, queued: Bool, outcome: inout Outcome) {
        let entry = FlushQueue.Entry(pfn: granule.pfn(iova), pageCount: sizeBytes >> granule.shift)
        guard queued else {
            allocator.freeFast(pfn: entry.pfn, pageCount: entry.pageCount)
            outcome.events.append(SideEvent(.iovaFreed, address: iova, length: sizeBytes))
            return
        }
        // queue_iova(): a full ring is flushed and freed before the new range goes in.
        if flushQueue.isFull { drainFlushQueue(outcome: &outcome) }
        flushQueue.append(entry)
        outcome.events.append(SideEvent(.flushQueued, address: iova, length: sizeBytes))
    }

    /// `fq_flush_iotlb()` + `fq_ring_free_locked()`: flush the whole IOTLB, then free every
    /// queued IOVA, oldest first.
    func drainFlushQueue(outcome: inout Outcome) {
        iotlb.invalidateAll()
        outcome.events.append(SideEvent(.iotlbFlushAll))
        let entries = flushQueue.takeAll()
        for entry in entries {
            allocator.freeFast(pfn: entry.pfn, pageCount: entry.pageCount)
            outcome.events.append(SideEvent(.iovaFreed, address: granule.address(ofPfn: entry.pfn), length: granule.address(ofPfn: entry.pageCount)))
        }
        outcome.events.append(SideEvent(.flushQueueDrained, length: UInt64(entries.count)))
    }

    /// `iommu_iova_to_phys()`: 0 when nothing is mapped there.
    func iovaToPhys(_ iova: UInt64) -> UInt64 {
        let pte = pageTable.entry(granule.pfn(iova))
        return pte.isPresent ? pte.phys | granule.offset(iova) : 0
    }
}

func hex(_ value: UInt64) -> String { String(value, radix: 16) }
