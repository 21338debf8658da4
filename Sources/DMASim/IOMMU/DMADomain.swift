/// A device's default DMA domain with its IOVA cookie: the IOVA allocator, the I/O page
/// table, the IOTLB and (lazy mode) the flush queue. Devices in one IOMMU group share it.
///
/// The methods mirror the kernel functions they model; each says which. They append what
/// they did (IOTLB maintenance, IOVA frees, WARNs) to the caller's `Outcome`.
final class DMADomain {
    let iommu: IOMMUSpec
    let granule: Granule
    /// `geometry.aperture_end`.
    let apertureEnd: UInt64
    var allocator: IOVAAllocator
    var pageTable: IOPageTable
    var iotlb: IOTLB
    /// The flush queues (lazy mode): one per CPU, grown as CPUs first queue (`percpu_fq`),
    /// or one for all with the single-queue option (`single_fq`).
    var flushQueues: [FlushQueue]
    /// `fq_flush_start_cnt` / `fq_flush_finish_cnt`: IOTLB flushes started and finished.
    var flushStartCount: UInt64 = 0
    var flushFinishCount: UInt64 = 0
    /// `fq_timer_on`: the flush-queue timer is armed, on `flushTimerCPU`.
    var flushTimerOn = false
    var flushTimerCPU = 0
    /// Which state or mapping last owned each IOVA range: the checker's memory of what the
    /// kernel forgets.
    var owners: IOVAOwnerMap
    /// Where the current call runs, and the timers it asks for (set by the engine).
    var context = KernelRunContext()

    /// A fresh domain (`iommu_dma_init_domain()`).
    convenience init(iommu: IOMMUSpec) {
        let granule = Granule(bytes: iommu.granuleBytes)
        // iommu_dma_init_domain(): base_pfn = max(1, aperture_start >> order) with
        // aperture_start 0, so IOVA 0 is never handed out and can mean "failed".
        var allocator = IOVAAllocator(granuleShift: granule.shift, startPfn: 1)
        for range in iommu.reservedRanges {
            allocator.reserve(pfnLo: granule.pfn(range.lowerBound), pfnHi: granule.pfn(range.upperBound))
        }
        self.init(iommu: iommu, allocator: allocator, flushQueues: [])
    }

    /// A domain with the given parts: a fresh one, or one restored from an engine state.
    init(iommu: IOMMUSpec, allocator: IOVAAllocator, pageTable: IOPageTable = IOPageTable(), iotlb: IOTLB = IOTLB(),
         flushQueues: [FlushQueue], owners: IOVAOwnerMap = IOVAOwnerMap()) {
        self.iommu = iommu
        self.granule = Granule(bytes: iommu.granuleBytes)
        self.apertureEnd = .dmaBitMask(iommu.apertureBits)
        self.allocator = allocator
        self.pageTable = pageTable
        self.iotlb = iotlb
        self.flushQueues = flushQueues
        self.owners = owners
    }

    /// `cookie->fq_domain` is set: unmaps queue their IOTLB flush and IOVA free.
    var usesFlushQueue: Bool { iommu.mode == .lazy }

    // MARK: iommu_dma_alloc_iova

    /// `iommu_dma_alloc_iova()`: `sizeBytes` is granule aligned. Returns 0 on failure.
    func allocIOVA(sizeBytes: UInt64, dmaMask: UInt64, device: DeviceRuntime, outcome: inout Outcome) -> UInt64 {
        let pageCount = sizeBytes >> granule.shift
        let dmaLimit = min(dmaMask, apertureEnd)  // force_aperture; no bus_dma_limit modelled
        // "Try to use all the 32-bit PCI addresses first."
        if dmaLimit > .dmaBitMask(32) && device.pci32BitWorkaround {
            let pfn = allocator.allocFast(pageCount: pageCount, limitPfn: UInt64.dmaBitMask(32) >> granule.shift, flushCachesOnFailure: false,
                                          cpu: context.cpu, onlineCPUs: context.onlineCPUs)
            if pfn != 0 { return granule.address(ofPfn: pfn) }
            device.pci32BitWorkaround = false
            let bits = dmaLimit.flsLong
            outcome.events.append(SideEvent(.dacEnabled, length: UInt64(bits)))
            outcome.warnings.append("\(device.spec.name): Using \(bits)-bit DMA addresses")
        }
        let pfn = allocator.allocFast(pageCount: pageCount, limitPfn: dmaLimit >> granule.shift, flushCachesOnFailure: true,
                                      cpu: context.cpu, onlineCPUs: context.onlineCPUs)
        return granule.address(ofPfn: pfn)
    }

    // MARK: iommu_map_nosync / iommu_sync_map

    /// `iommu_map_nosync()`: aligned iova, paddr and size, one PTE per granule. A present
    /// PTE stops it with -EEXIST (io-pgtable-arm's WARN), and what this call had mapped is
    /// unrolled with `iommu_unmap()`, which syncs the IOTLB.
    func mapNoSync(iova: UInt64, phys: UInt64, sizeBytes: UInt64, prot: IOMMUProt, outcome: inout Outcome) -> Errno? {
        guard granule.isAligned(iova | phys | sizeBytes) else {
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

    /// `iommu_dma_free_iova()`: straight to `free_iova_fast()` on this CPU, or onto the
    /// flush queue when the unmap's gather was queued (lazy mode).
    func freeIOVA(iova: UInt64, sizeBytes: UInt64, queued: Bool, outcome: inout Outcome) {
        guard queued else {
            freeFast(pfn: granule.pfn(iova), pageCount: sizeBytes >> granule.shift, outcome: &outcome)
            return
        }
        queueIOVA(pfn: granule.pfn(iova), pageCount: sizeBytes >> granule.shift, outcome: &outcome)
    }

    /// `free_iova_fast()` on the running CPU; a magazine pushed to the depot schedules
    /// the depot's reclaim.
    private func freeFast(pfn: UInt64, pageCount: UInt64, outcome: inout Outcome) {
        if let order = allocator.freeFast(pfn: pfn, pageCount: pageCount, cpu: context.cpu) {
            context.request(.depotReclaim(order: order), for: self)
        }
        outcome.events.append(SideEvent(.iovaFreed, address: granule.address(ofPfn: pfn), length: granule.address(ofPfn: pageCount)))
    }

    /// Whether the domain has the single flush queue (`IOMMU_DMA_OPTS_SINGLE_QUEUE`).
    var singleQueue: Bool { iommu.singleFlushQueue }

    /// `queue_iova()` on the running CPU: free what that CPU's ring holds that a finished
    /// flush covers; a full ring is flushed and freed first; the new range goes in with
    /// the current flush-start count; and the timer is armed unless it already is
    /// (`IOVA_DEFAULT_FQ_TIMEOUT`, 10 ms; `IOVA_SINGLE_FQ_TIMEOUT`, 1 s, for the single queue).
    private func queueIOVA(pfn: UInt64, pageCount: UInt64, outcome: inout Outcome) {
        let index = singleQueue ? 0 : context.cpu
        while flushQueues.count <= index { flushQueues.append(FlushQueue(slots: iommu.flushQueueSlots)) }
        ringFree(index, outcome: &outcome)
        if flushQueues[index].isFull {
            flushIOTLB(outcome: &outcome)
            ringFree(index, outcome: &outcome)
        }
        flushQueues[index].append(FlushQueue.Entry(pfn: pfn, pageCount: pageCount, counter: flushStartCount))
        outcome.events.append(SideEvent(.flushQueued, address: granule.address(ofPfn: pfn), length: granule.address(ofPfn: pageCount)))
        if !flushTimerOn {
            flushTimerOn = true
            flushTimerCPU = context.cpu
            context.request(.flushQueue(milliseconds: singleQueue ? Self.singleFlushTimeout : Self.flushTimeout), for: self)
        }
    }

    /// `IOVA_DEFAULT_FQ_TIMEOUT` and `IOVA_SINGLE_FQ_TIMEOUT`, in milliseconds.
    static let flushTimeout: UInt64 = 10
    static let singleFlushTimeout: UInt64 = 1000

    /// `fq_ring_free_locked()`: frees, oldest first and on the running CPU, the ranges of
    /// one queue that a finished flush covers.
    private func ringFree(_ index: Int, outcome: inout Outcome) {
        let flushed = flushQueues[index].takeFlushed(before: flushFinishCount)
        for entry in flushed { freeFast(pfn: entry.pfn, pageCount: entry.pageCount, outcome: &outcome) }
        if !flushed.isEmpty { outcome.events.append(SideEvent(.flushQueueDrained, length: UInt64(flushed.count))) }
    }

    /// `fq_flush_iotlb()`: a whole-IOTLB flush, counted as started and finished.
    private func flushIOTLB(outcome: inout Outcome) {
        flushStartCount += 1
        iotlb.invalidateAll()
        outcome.events.append(SideEvent(.iotlbFlushAll))
        flushFinishCount += 1
    }

    /// `fq_flush_timeout()`, on the CPU the engine runs the timer on: the timer is off,
    /// the IOTLB flushed, and every queue's flushed ranges freed, CPU by CPU, into the
    /// running CPU's magazines.
    func flushQueueTimeout(outcome: inout Outcome) {
        flushTimerOn = false
        flushIOTLB(outcome: &outcome)
        for index in flushQueues.indices { ringFree(index, outcome: &outcome) }
    }

    /// Whether any flush queue holds a range.
    var hasQueuedRanges: Bool { flushQueues.contains { !$0.isEmpty } }

    /// Every queued range, queue by queue (tests and diagnostics).
    var queuedEntries: [FlushQueue.Entry] { flushQueues.flatMap(\.entries) }

    /// `iommu_iova_to_phys()`: 0 when nothing is mapped there.
    func iovaToPhys(_ iova: UInt64) -> UInt64 {
        let pte = pageTable.entry(granule.pfn(iova))
        return pte.isPresent ? pte.phys | granule.offset(iova) : 0
    }
}

func hex(_ value: UInt64) -> String { String(value, radix: 16) }
