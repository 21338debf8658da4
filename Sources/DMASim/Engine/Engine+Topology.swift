extension Engine {
    func declareRegion(_ spec: RegionSpec) -> Outcome {
        if let problem = memory.add(spec) { return .rejected(problem) }
        return .ok
    }

    func declareIOMMU(_ spec: IOMMUSpec) -> Outcome {
        guard iommus[spec.name] == nil else { return .rejected("iommu \(spec.name) is already declared") }
        guard spec.granuleBytes >= 4096, spec.granuleBytes <= 65536, spec.granuleBytes.nonzeroBitCount == 1 else {
            return .rejected("iommu \(spec.name): granule must be 4K, 16K or 64K (≤ PAGE_SIZE)")
        }
        // The granule is `1 << __ffs(pgsize_bitmap)`: the smallest page size.
        guard spec.pageSizes & (spec.granuleBytes | (spec.granuleBytes - 1)) == spec.granuleBytes else {
            return .rejected("iommu \(spec.name): page-sizes must include the granule (0x\(hex(spec.granuleBytes))) and nothing smaller")
        }
        guard (32...64).contains(spec.apertureBits) else {
            return .rejected("iommu \(spec.name): aperture-bits must be 32…64")
        }
        guard spec.flushQueueSlots >= 2, spec.flushQueueSlots.nonzeroBitCount == 1 else {
            return .rejected("iommu \(spec.name): fq-size must be a power of two ≥ 2")
        }
        iommus[spec.name] = spec
        domainsOfIOMMU[spec.name] = []
        return .ok
    }

    func declareDevice(_ spec: DeviceSpec) -> Outcome {
        guard devices[spec.name] == nil else { return .rejected("device \(spec.name) is already declared") }
        guard (12...64).contains(spec.dmaBits) else { return .rejected("device \(spec.name): dma-bits must be 12…64") }
        var domain: DMADomain?
        var forceDAC = false
        if let iommuName = spec.iommu {
            guard let iommu = iommus[iommuName] else { return .rejected("device \(spec.name): unknown iommu \(iommuName)") }
            forceDAC = iommu.forceDAC
            if iommu.mode != .passthrough { domain = domainFor(spec, on: iommu) }
        }
        devices[spec.name] = DeviceRuntime(spec: spec, domain: domain, forceDAC: forceDAC)
        if !spec.coherent && cache == nil { cache = CPUCache(memory: memory) }
        return .ok
    }

    /// The group's shared domain, or a fresh one for a device in a group of its own.
    private func domainFor(_ spec: DeviceSpec, on iommu: IOMMUSpec) -> DMADomain {
        let groupKey = spec.group.map { "\(iommu.name)/\($0)" }
        if let key = groupKey, let shared = domainOfGroup[key] { return shared }
        let domain = DMADomain(iommu: iommu)
        domain.context = context
        domainsOfIOMMU[iommu.name, default: []].append(domain)
        if let key = groupKey { domainOfGroup[key] = domain }
        return domain
    }

    /// `swiotlb size=… [base=…] [force]`: the bounce pool. Inside a declared `ram` region
    /// it is carved out of it; in no region it gets an implicit `ram` region named
    /// `swiotlb`; half in a region, or in shared or MMIO memory, it is refused.
    func declareSwiotlb(_ spec: SwiotlbSpec) -> Outcome {
        guard swiotlb == nil else { return .rejected("swiotlb is already declared") }
        let segmentBytes = SwiotlbPool.slotBytes * UInt64(SwiotlbPool.segmentSlots)
        guard spec.sizeBytes > 0, spec.sizeBytes % segmentBytes == 0 else {
            return .rejected("swiotlb size must be a positive multiple of 256K (IO_TLB_SEGSIZE slots of 2K; the kernel rounds nslabs up to it)")
        }
        guard spec.base % SwiotlbPool.pageBytes == 0 else { return .rejected("swiotlb base must be 4K aligned") }
        guard spec.sizeBytes <= SwiotlbPool.maxBytes else {
            return .rejected("swiotlb size 0x\(hex(spec.sizeBytes)) is more than the simulator's 0x\(hex(SwiotlbPool.maxBytes)) (1 GiB, \(SwiotlbPool.maxBytes >> SwiotlbPool.slotShift) slots): it keeps io_tlb_slot metadata per 2 KiB slot, as the kernel does, whose swiotlb_memblock_alloc() would fail and halve the request")
        }
        if let problem = placePool(spec) { return .rejected(problem) }
        swiotlb = spec
        swiotlbPool = SwiotlbPool(base: spec.base, sizeBytes: spec.sizeBytes)
        return .ok
    }

    private func placePool(_ spec: SwiotlbSpec) -> String? {
        let pool = RegionSpec(name: "swiotlb", base: spec.base, sizeBytes: spec.sizeBytes, kind: .ram)
        guard let end = pool.end else { return "swiotlb pool wraps the 64-bit address space" }
        if let home = memory.region(containing: spec.base, length: spec.sizeBytes) {
            return home.kind == .ram ? nil : "swiotlb pool lies in \(home.kind.rawValue) region \(home.name); it must be RAM"
        }
        if let clash = memory.regions.first(where: { $0.base < end && spec.base < $0.end! }) {
            return "swiotlb pool [0x\(hex(spec.base)), 0x\(hex(end))) overlaps region \(clash.name) only in part"
        }
        return memory.add(pool)
    }

    /// The device named by an op, or why the op cannot run.
    func device(named name: String) -> Result<DeviceRuntime, RejectReason> {
        guard let device = devices[name] else { return .failure(RejectReason("unknown device \(name)")) }
        guard !device.isDetached else { return .failure(RejectReason("device \(name) was detached")) }
        return .success(device)
    }
}

/// Why an op was rejected; becomes `OutcomeStatus.rejected`.
struct RejectReason: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
