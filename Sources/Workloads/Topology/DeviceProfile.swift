import DMASim

/// One device as the generator knows it: what it is declared as, the IOMMU in front of
/// it, and the kind of driver it has. The generator cannot see outcomes, so everything a
/// request's claims depend on (does try_alloc fall back? can the device reach the
/// region?) is decided from here.
struct DeviceProfile: Sendable, Hashable {
    var spec: DeviceSpec
    /// The IOMMU it sits behind; nil for `iommu=none`.
    var iommu: IOMMUSpec?
    var role: DeviceRole
    /// Requests kept in flight on it.
    var inFlight: Int
    /// The machine's bounce pool (the stream's `swiotlb` line), which decides what
    /// dma-direct does with a range it cannot map in place.
    var swiotlb: SwiotlbSpec?
    /// Its driver hands over buffers that start and end on 512-byte sectors inside a page
    /// (O_DIRECT I/O), as NVMe's virt boundary allows: only the first segment may start
    /// and only the last may end off a page boundary.
    var sectorAligned = false
    /// Whether the workload's buffers are RAM the kernel maps (`ram`), so a bounce can copy
    /// them; `shared` memory has no direct map.
    var memoryDirectMapped = false

    init(_ name: String, role: DeviceRole, iommu: IOMMUSpec?, dmaBits: Int = 64, coherent: Bool = true, untrusted: Bool = false,
         minAlignMask: UInt64 = 0) {
        spec = DeviceSpec(name: name, iommu: iommu?.name, dmaBits: dmaBits, coherent: coherent, untrusted: untrusted)
        spec.minAlignMask = minAlignMask
        self.iommu = iommu
        self.role = role
        inFlight = role.defaultInFlight
    }

    var name: String { spec.name }

    /// `use_dma_iommu()`: an IOMMU with a DMA domain, so `dma_iova_try_alloc` can succeed.
    /// Without one (no IOMMU, or an identity domain) the driver takes the streaming path.
    /// An untrusted device always gets a DMA domain (`iommu_get_default_domain_type()`).
    var usesIOVA: Bool { iommu.map { $0.mode != .passthrough || spec.isUntrusted } ?? false }

    /// Whether its domain has a flush queue: a lazy IOMMU, and not for an untrusted
    /// device, whose domain is always strict.
    var usesFlushQueue: Bool { usesIOVA && iommu!.mode == .lazy && !spec.isUntrusted }

    /// The size and alignment of the pages the driver links: the IOVA granule (a link
    /// must start granule aligned after the first), or 4 KiB without a domain.
    var unitBytes: UInt64 { usesIOVA ? iommu!.granuleBytes : 4096 }

    var needsSyncMap: Bool { usesIOVA && iommu!.needsSyncMap }

    /// dma-direct: whether the bus address of `[phys, phys+length)` is under the DMA mask.
    func reaches(_ phys: UInt64, length: UInt64) -> Bool {
        usesIOVA || phys + length - 1 <= spec.dmaMask
    }

    /// dma-direct bounces the range through swiotlb (`dma_direct_map_phys()` →
    /// `swiotlb_map()` → `swiotlb_tbl_map_single()`): every range under `swiotlb=force`,
    /// else one beyond the mask when a pool exists. Never MMIO (`DMA_ATTR_MMIO` fails
    /// under force instead, and only has to be reachable otherwise).
    func directBounces(_ segment: Segment) -> Bool {
        guard !usesIOVA, let pool = swiotlb, !pool.isNoForce, !segment.attributes.contains(.mmio) else { return false }
        return pool.force || !reaches(segment.phys, length: segment.length)
    }

    /// dma-direct refuses the map (`DMA_MAPPING_ERROR`): beyond the mask with nothing to
    /// bounce through, MMIO under `swiotlb=force`, or a bounce larger than one allocation
    /// can be (`swiotlb_tbl_map_single()` finds no slots).
    func directRefuses(_ segment: Segment) -> Bool {
        guard !usesIOVA else { return false }
        if segment.attributes.contains(.mmio) && swiotlb?.force == true { return true }
        if directBounces(segment) { return segment.length > Self.maxBounceBytes }
        return !reaches(segment.phys, length: segment.length)
    }

    /// The bounce copy of the range never returns: it is outside the direct map
    /// (`swiotlb_bounce()` reads it through `phys_to_virt()`).
    func directBounceOopses(_ segment: Segment) -> Bool {
        directBounces(segment) && !directRefuses(segment) && !memoryDirectMapped
    }

    /// `IO_TLB_SEGSIZE` slots of `IO_TLB_SIZE`: the most one swiotlb allocation holds
    /// (`swiotlb_max_mapping_size()` for a device without a `min_align_mask`).
    static let maxBounceBytes: UInt64 = 256 << 10

    /// 2 MiB slots one request of this device takes from the shared region.
    var slotsPerRequest: Int {
        switch role {
        case .blockQueue, .peerTransfer: return 1
        case .migrationBuffer: return MigrationShape.maxSlots
        case .odpRegion: return usesIOVA ? 0 : 1  // without IOVA, block-shaped fallback requests
        }
    }

    /// Pages one ODP region may hold linked at once.
    var odpPagesPerRegion: Int { role == .odpRegion && usesIOVA ? ODPShape.maxLinkedPages : 0 }

    /// BAR frames one peer transfer may take.
    var barFramesPerRequest: Int { role == .peerTransfer ? PeerShape.maxSegments : 0 }

    /// Whether this device's driver can commit `injection`, given its IOMMU and coherence.
    func canCommit(_ injection: InjectionClass) -> Bool {
        guard usesIOVA, role.supportedInjections.contains(injection) else { return false }
        switch injection {
        case .missingSync: return needsSyncMap
        case .skippedCacheSync: return !spec.coherent
        // dma-iommu bounces only an untrusted device's unaligned range, and only with a pool.
        case .unalignedBounce: return spec.isUntrusted && swiotlb.map { !$0.isNoForce } == true
        default: return true
        }
    }
}
