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
    /// The physical addresses a PTE can hold: io-pgtable-arm's `oas` at its widest (LPA,
    /// 52 bits), the generic page table's `max_oasz_lg2` for VT-d (`hw_max_oasz_lg2 = 52`).
    static let outputAddressBits: UInt64 = 52
    @exclusivity(unchecked) var allocator: IOVAAllocator
    @exclusivity(unchecked) var pageTable: IOPageTable
    @exclusivity(unchecked) var iotlb: IOTLB
    /// The flush queues (lazy mode): one per CPU, grown as CPUs first queue (`percpu_fq`),
    /// or one for all with the single-queue option (`single_fq`).
    @exclusivity(unchecked) var flushQueues: [FlushQueue]
    /// `fq_flush_start_cnt` / `fq_flush_finish_cnt`: IOTLB flushes started and finished.
    @exclusivity(unchecked) var flushStartCount: UInt64 = 0
    @exclusivity(unchecked) var flushFinishCount: UInt64 = 0
    /// `fq_timer_on`: the flush-queue timer is armed, on `flushTimerCPU`.
    @exclusivity(unchecked) var flushTimerOn = false
    @exclusivity(unchecked) var flushTimerCPU = 0
    /// Which state or mapping last owned each IOVA range: the checker's memory of what the
    /// kernel forgets.
    @exclusivity(unchecked) var owners: IOVAOwnerMap
    /// Where the current call runs, and the timers it asks for (set by the engine).
    @exclusivity(unchecked) var context = KernelRunContext()

    /// A fresh domain (`iommu_dma_init_domain()`).
    convenience init(iommu: IOMMUSpec, mode: IOMMUMode? = nil) {
        let granule = Granule(bytes: iommu.granuleBytes)
        // iommu_dma_init_domain(): base_pfn = max(1, aperture_start >> order) with
        // aperture_start 0, so IOVA 0 is never handed out and can mean "failed".
        var allocator = IOVAAllocator(granuleShift: granule.shift, startPfn: 1)
        for range in iommu.reservedRanges {
            allocator.reserve(pfnLo: granule.pfn(range.lowerBound), pfnHi: granule.pfn(range.upperBound))
        }
        self.init(iommu: iommu, mode: mode, allocator: allocator, flushQueues: [])
    }

    /// A domain with the given parts: a fresh one, or one restored from an engine state.
    init(iommu: IOMMUSpec, mode: IOMMUMode? = nil, allocator: IOVAAllocator, pageTable: IOPageTable? = nil,
         iotlb: IOTLB = IOTLB(), flushQueues: [FlushQueue], owners: IOVAOwnerMap = IOVAOwnerMap()) {
        self.iommu = iommu
        self.mode = mode ?? iommu.mode
        self.granule = Granule(bytes: iommu.granuleBytes)
        self.apertureEnd = .dmaBitMask(iommu.apertureBits)
        self.allocator = allocator
        self.pageTable = pageTable ?? IOPageTable(granuleShift: granule.shift)
        self.iotlb = iotlb
        self.flushQueues = flushQueues
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

    /// `iommu_map_nosync()`: aligned iova, paddr and size, then PTEs of the sizes
    /// `iommu_pgsize()` picks (`IOMMUSpec.pageSizes`), one `map_pages` call per size, or
    /// on 7.3's generic page table one `map_range()` that picks the same sizes
    /// (`pt_compute_best_pgsize()`). A present PTE stops it (`path` says with what), an
    /// address past the table's input or output range with -ERANGE; what this call had
    /// mapped is unrolled with `iommu_unmap()`, which syncs the IOTLB.
    func mapNoSync(iova: UInt64, phys: UInt64, sizeBytes: UInt64, prot: IOMMUProt, path: MapPath, outcome: inout Outcome) -> Errno? {
        guard granule.isAligned(iova | phys | sizeBytes) else {
            switch path {
            case .mapPages:
                // __iommu_map_domain_pgtbl(): !IS_ALIGNED(iova | paddr | size, min_pagesz),
                // pr_err() under iommu.c's pr_fmt "iommu: ". iommu_map_nosync() then undoes
                // the 0 bytes mapped with iommu_unmap(domain, iova, 0), whose
                // __iommu_unmap_domain_pgtbl() checks IS_ALIGNED(iova | size) and says so too.
                outcome.warnings.append(
                    "iommu: unaligned: iova 0x\(hex(iova)) pa 0x\(hex(phys)) size 0x\(hex(sizeBytes)) min_pagesz 0x\(hex(granule.bytes))")
                if !granule.isAligned(iova) {
                    outcome.warnings.append("iommu: unaligned: iova 0x\(hex(iova)) size 0x0 min_pagesz 0x\(hex(granule.bytes))")
                }
                return .EINVAL
            case .genericPageTable:
                // map_range(): no page size fits an IOVA or physical address off the
                // granule (pt_compute_best_pgsize() returns 0; the one-page fast path
                // checks log2_mod(iova | paddr, PAGE_SHIFT)): -ENXIO, nothing printed.
                // The size is always aligned here: dma-iommu passes iova_align()ed sizes.
                return .ENXIO
            }
        }
        var mapped: UInt64 = 0
        while mapped < sizeBytes {
            // A range that wraps past 2^64 fails where it wraps, as past the aperture.
            guard let chunkIOVA = iova.adding(mapped), let chunkPhys = phys.adding(mapped) else {
                outcome.warnings.append("WARN_ON(iaext || paddr >> oas): iova 0x\(hex(iova)) pa 0x\(hex(phys)) size 0x\(hex(sizeBytes)) wraps the 64-bit range: -ERANGE")
                outcome.events.append(SideEvent(.kernelWarning, address: iova &+ mapped, length: sizeBytes - mapped))
                unmapAndSync(iova: iova, sizeBytes: mapped, outcome: &outcome)
                return .ERANGE
            }
            let chunk = PageChunk(iova: chunkIOVA, phys: chunkPhys, pageSizes: iommu.pageSizes,
                                  remainingBytes: sizeBytes - mapped, granule: granule)
            let result = mapPages(chunk, prot: prot, path: path, outcome: &outcome)
            mapped += result.mappedBytes
            if let errno = result.errno {
                if mapped > 0 { unmapAndSync(iova: iova, sizeBytes: mapped, outcome: &outcome) }
                return errno
            }
        }
        return nil
    }

    /// `ops->map_pages(domain, iova, paddr, pgsize, count, …, &mapped)` for one page size.
    /// On the generic page table: `__map_range_leaf()` for the leaves of one size.
    private func mapPages(_ chunk: PageChunk, prot: IOMMUProt, path: MapPath, outcome: inout Outcome) -> (mappedBytes: UInt64, errno: Errno?) {
        // arm_lpae_map_pages(): WARN_ON(iaext || paddr >> cfg->oas) → -ERANGE; the
        // generic page table's map_range() refuses the same with -ERANGE.
        guard chunk.lastIOVA.map({ $0 <= apertureEnd }) == true, chunk.lastPhys.map({ $0 >> Self.outputAddressBits == 0 }) == true else {
            outcome.warnings.append(
                "WARN_ON(iaext || paddr >> oas): iova 0x\(hex(chunk.iova)) pa 0x\(hex(chunk.phys)) size 0x\(hex(chunk.bytes)) past the page table's \(iommu.apertureBits)-bit input or \(Self.outputAddressBits)-bit output range: -ERANGE")
            outcome.events.append(SideEvent(.kernelWarning, address: chunk.iova, length: chunk.bytes))
            return (0, .ERANGE)
        }
        let first = granule.pfn(chunk.iova)
        let pageGranules = UInt64(1) << UInt64(chunk.pageShift)
        var pageCount = chunk.pageCount
        var errno: Errno?
        if let present = pageTable.firstPresent(from: first, count: chunk.pageCount << UInt64(chunk.pageShift)) {
            pageCount = (present - first) / pageGranules
            switch path {
            case .mapPages:
                // arm_lpae_init_pte(): WARN_ON(!selftest_running), -EEXIST.
                outcome.warnings.append("WARN: map over a present PTE at iova 0x\(hex(granule.address(ofPfn: present)))")
                errno = .EEXIST
            case .genericPageTable:
                // __map_range_leaf() → clear_contig(): a present leaf, or a table that
                // holds one, is -EADDRINUSE; __map_range() says the same of a block above
                // the leaves' level. The leaves installed before it count as mapped.
                errno = .EADDRINUSE
            }
        }
        let pte = PageTableEntry(phys: chunk.phys, prot: prot, visible: !iommu.needsSyncMap)
        pageTable.install(firstGranule: first, pageShift: chunk.pageShift, pageCount: pageCount, pte: pte)
        let mappedBytes = granule.address(ofPfn: pageCount << UInt64(chunk.pageShift))
        if chunk.pageShift > 0 && pageCount > 0 {
            outcome.events.append(SideEvent(.blockMapped, address: chunk.iova, length: mappedBytes, target: chunk.pageBytes))
        }
        return (mappedBytes, errno)
    }

    /// `iommu_sync_map()`: on a needs-sync-map IOMMU the queued PTEs reach the hardware.
    /// Elsewhere the driver has no `iotlb_sync_map` and it does nothing.
    func syncMap(iova: UInt64, sizeBytes: UInt64, outcome: inout Outcome) {
        guard iommu.needsSyncMap else { return }
        outcome.events.append(SideEvent(.iotlbSyncMap, address: iova, length: sizeBytes))
        pageTable.makeVisible(from: granule.pfn(iova), count: sizeBytes >> granule.shift)
    }

    // MARK: unmap, IOTLB sync, IOVA free

    /// `__iommu_unmap()` → the generic page table's `unmap_range()` (VT-d, AMD-Vi on
    /// 7.3): clears whole PTEs from `iova` until `sizeBytes` are covered or the first hole
    /// (`IOPageTable+Unmap`). Returns the bytes unmapped, which pass `sizeBytes` when the
    /// last PTE is a block the range ends inside. Nothing is unmapped for a misaligned
    /// request (`__iommu_unmap_domain_pgtbl()`'s check), a size of 0, or a range that
    /// wraps or leaves the aperture (`make_range()`: -EINVAL, -EOVERFLOW, -ERANGE).
    ///
    /// IOTLB entries over what was cleared are stale until an invalidation drops them:
    /// they are marked with this op, so a stale hit can name the unmap behind it.
    func unmap(iova: UInt64, sizeBytes: UInt64) -> UInt64 {
        guard granule.isAligned(iova | sizeBytes), sizeBytes > 0, unmapRefusal(iova: iova, sizeBytes: sizeBytes) == nil else { return 0 }
        let cleared = pageTable.unmap(from: granule.pfn(iova), count: sizeBytes >> granule.shift)
        for run in cleared where iotlb.count > 0 { iotlb.markStale(from: run.firstGranule, count: run.granuleCount, at: context.sequence) }
        return granule.address(ofPfn: cleared.reduce(0) { $0 + $1.granuleCount })
    }

    /// Why the page table refuses to walk `[iova, iova + sizeBytes)` at all (generic_pt's
    /// `make_range()`), if it does: a range that wraps past 2^64 (-EOVERFLOW) or ends past
    /// the aperture (`pt_check_range()`, -ERANGE).
    func unmapRefusal(iova: UInt64, sizeBytes: UInt64) -> String? {
        guard let last = AddressRange(start: iova, length: sizeBytes)?.last else {
            return "it wraps past 2^64 (make_range(): -EOVERFLOW)"
        }
        guard last <= apertureEnd else { return "it ends past the aperture, 0x\(hex(apertureEnd)) (pt_check_range(): -ERANGE)" }
        return nil
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
        flushQueues[index].append(FlushQueue.Entry(pfn: pfn, pageCount: pageCount, counter: flushStartCount, queuedAt: context.clock))
        outcome.events.append(SideEvent(.flushQueued, address: granule.address(ofPfn: pfn), length: granule.address(ofPfn: pageCount)))
        if !flushTimerOn {
            flushTimerOn = true
            flushTimerCPU = context.cpu
            // With fq-timer=explicit `flush` ops say when it ran; the engine's clock never
            // runs it (Engine.armFlushTimer).
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

    /// `fq_flush_timeout()` that ran at `time`, before ranges queued since (a `flush at=`):
    /// it frees what was queued by then; the later ranges stay queued as after the flush,
    /// and the first of them armed the timer again on its CPU (`queue_iova()` saw
    /// `fq_timer_on` cleared). Whether it is armed, and where, is returned for the engine.
    /// Whether the timer is armed again, and when the range that armed it was queued.
    @discardableResult
    func flushQueueTimeout(ranAt time: UInt64, outcome: inout Outcome) -> UInt64? {
        flushTimerOn = false
        flushIOTLB(outcome: &outcome)
        for index in flushQueues.indices {
            flushQueues[index].markFlushed(queuedBy: time, counter: flushStartCount, finished: flushFinishCount)
            ringFree(index, outcome: &outcome)
        }
        guard let later = oldestQueued else { return nil }
        flushTimerOn = true
        flushTimerCPU = singleQueue ? flushTimerCPU : later.queue
        return later.time
    }

    /// The oldest queued range's time and queue (per-CPU: its CPU): on an explicit-timer
    /// domain, the range that armed `fq_timer`.
    var oldestQueued: (time: UInt64, queue: Int)? {
        flushQueues.indices.compactMap { index in flushQueues[index].oldestQueuedAt.map { (time: $0, queue: index) } }
            .min { ($0.time, $0.queue) < ($1.time, $1.queue) }
    }

    /// Whether any flush queue holds a range.
    var hasQueuedRanges: Bool { flushQueues.contains { !$0.isEmpty } }

    /// When the latest of the queued ranges (any CPU's) that overlap `start..<end` was
    /// queued; nil when none does. An IOVA there is not free until a flush frees it
    /// (`fq_ring_free_locked()`).
    func latestQueuedOverlap(_ start: UInt64, _ end: UInt64) -> UInt64? {
        let first = granule.pfn(start), last = granule.pfn(end &- 1)
        // Plain loops: an import asks this before every map, and the lazy
        // flatMap/filter/max chain over every queued entry was 2 % of it.
        var latest: UInt64?
        for queue in flushQueues {
            for entry in queue.entries where entry.pfn <= last && first < entry.pfn &+ entry.pageCount {
                if latest.map({ entry.queuedAt > $0 }) ?? true { latest = entry.queuedAt }
            }
        }
        return latest
    }

    /// Every queued range, queue by queue (tests and diagnostics).
    var queuedEntries: [FlushQueue.Entry] { flushQueues.flatMap(\.entries) }

    /// `iommu_iova_to_phys()`: 0 when nothing is mapped there.
    func iovaToPhys(_ iova: UInt64) -> UInt64 {
        let pte = pageTable.entry(granule.pfn(iova))
        return pte.isPresent ? pte.phys | granule.offset(iova) : 0
    }

    /// Where the PTE run mapping `iova` ends (the first IOVA after it; nil for none or at
    /// 2^64): up to there the granules map physically contiguous memory.
    func mappedRunEnd(_ iova: UInt64) -> UInt64? {
        guard let at = pageTable.run(containing: granule.pfn(iova)) else { return nil }
        let endGranule = pageTable.runs[at].endGranule
        guard endGranule < UInt64(1) << (64 - granule.shift) else { return nil }
        return granule.address(ofPfn: endGranule)
    }

    /// The block PTE `iova` lies inside but does not start, if any: where an unmap that
    /// starts there clears nothing.
    func blockStraddling(_ iova: UInt64) -> PageLeaf? {
        guard let leaf = pageTable.leaf(granule.pfn(iova)), leaf.pageShift > 0,
              leaf.firstGranule != granule.pfn(iova) else { return nil }
        return leaf
    }
}

func hex(_ value: UInt64) -> String { String(value, radix: 16) }
