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
        guard DeviceSpec.isValidMinAlignMask(spec.minAlignMask) else {
            return .rejected("device \(spec.name): min-align-mask must be a mask of low bits (2^n - 1) below 2^32")
        }
        var domain: DMADomain?
        var forceDAC = false
        if let iommuName = spec.iommu {
            guard let iommu = iommus[iommuName] else { return .rejected("device \(spec.name): unknown iommu \(iommuName)") }
            forceDAC = iommu.forceDAC
            switch defaultDomain(for: spec, on: iommu) {
            case .success(let groupDomain): domain = groupDomain
            case .failure(let reason): return .rejected(reason.message)
            }
        }
        devices[spec.name] = DeviceRuntime(spec: spec, domain: domain, forceDAC: forceDAC)
        if !spec.coherent && cache == nil { cache = CPUCache(memory: memory) }
        return .ok
    }

    /// The device's group's default domain: the group's existing one, a fresh DMA domain,
    /// or none (identity, dma-direct). `iommu_get_default_domain_type()`: a group with an
    /// untrusted PCI device gets `IOMMU_DOMAIN_DMA` whatever the default type, so it is
    /// translated under `iommu.passthrough=1` and strict under `iommu.strict=0` (no flush
    /// queue: `iommu_dma_init_fq()` is never reached). The group's type is settled by all
    /// its devices at probe; here devices come one by one, so an untrusted device cannot
    /// join a group already set up lazy or identity by a trusted one. A device marked
    /// `untrusted-at-probe` became untrusted after its domain was chosen (its driver set
    /// the flag): its group's domain is what it would be for a trusted device.
    private func defaultDomain(for spec: DeviceSpec, on iommu: IOMMUSpec) -> Result<DMADomain?, RejectReason> {
        let groupKey = spec.group.map { "\(iommu.name)/\($0)" }
        let untrusted = spec.forcesDMADomain
        if let key = groupKey, let shared = domainOfGroup[key] {
            guard !untrusted || shared.mode == .strict else {
                return .failure(RejectReason("device \(spec.name) is untrusted, so group \(spec.group!) must have a strict DMA domain, "
                    + "but its \(shared.mode.rawValue) domain is already set up: declare the untrusted device first"))
            }
            return .success(shared)
        }
        if iommu.mode == .passthrough && !untrusted {
            return .success(nil)
        }
        if untrusted, let group = spec.group,
           let identity = devices.values.first(where: { $0.spec.iommu == iommu.name && $0.spec.group == group }) {
            return .failure(RejectReason("device \(spec.name) is untrusted, so group \(group) must have a DMA domain, "
                + "but \(identity.spec.name) already made it an identity (passthrough) group: declare the untrusted device first"))
        }
        let domain = DMADomain(iommu: iommu, mode: untrusted ? .strict : iommu.mode)
        domain.context = context
        domainsOfIOMMU[iommu.name, default: []].append(domain)
        if let key = groupKey { domainOfGroup[key] = domain }
        return .success(domain)
    }

    /// `swiotlb size=… [base=…] [force]`: the bounce pool. Inside a declared `ram` region
    /// it is carved out of it; in no region it gets an implicit `ram` region named
    /// `swiotlb`; half in a region, or in shared or MMIO memory, it is refused.
    func declareSwiotlb(_ spec: SwiotlbSpec) -> Outcome {
        // swiotlb_init() runs once, from mem_init(): after the first call the pool (or its
        // absence) is the kernel's, Engine+Boot.
        guard !booted else {
            return .rejected("swiotlb is set up at boot, before the first call: declare it with the rest of the machine")
        }
        guard swiotlb == nil else { return .rejected("swiotlb is already declared") }
        if spec.isNoForce {
            swiotlb = spec
            return .ok
        }
        if let problem = SwiotlbSpec.sizeProblem(spec.sizeBytes) { return .rejected(problem) }
        guard spec.base % SwiotlbPool.pageBytes == 0 else { return .rejected("swiotlb base must be 4K aligned") }
        if let problem = placePool(spec) { return .rejected(problem) }
        swiotlb = spec
        swiotlbPool = SwiotlbPool(base: spec.base, sizeBytes: spec.sizeBytes)
        return .ok
    }

    /// Carves the pool out of the RAM region it lies in, or gives it a `ram` region of its
    /// own; returns why not.
    func placePool(_ spec: SwiotlbSpec) -> String? {
        if let problem = poolPlacementProblem(spec) { return problem }
        guard memory.region(containing: spec.base, length: spec.sizeBytes) == nil else { return nil }
        return memory.add(RegionSpec(name: "swiotlb", base: spec.base, sizeBytes: spec.sizeBytes, kind: .ram))
    }

    func poolPlacementProblem(_ spec: SwiotlbSpec) -> String? {
        let pool = RegionSpec(name: "swiotlb", base: spec.base, sizeBytes: spec.sizeBytes, kind: .ram)
        guard let end = pool.end else { return "swiotlb pool wraps the 64-bit address space" }
        if let home = memory.region(containing: spec.base, length: spec.sizeBytes) {
            return home.kind == .ram ? nil : "swiotlb pool lies in \(home.kind.rawValue) region \(home.name); it must be RAM"
        }
        if let clash = memory.regions.first(where: { $0.base < end && spec.base < $0.end! }) {
            return "swiotlb pool [0x\(hex(spec.base)), 0x\(hex(end))) overlaps region \(clash.name) only in part"
        }
        return nil
    }

    /// The device named by an op, or why the op cannot run.
    func device(named name: String) -> Result<DeviceRuntime, RejectReason> {
        guard let device = devices[name] else { return .failure(RejectReason("unknown device \(name)")) }
        return .success(device)
    }
}

/// Why an op was rejected; becomes `OutcomeStatus.rejected`.
struct RejectReason: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
