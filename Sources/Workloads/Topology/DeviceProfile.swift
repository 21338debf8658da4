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

    init(_ name: String, role: DeviceRole, iommu: IOMMUSpec?, dmaBits: Int = 64, coherent: Bool = true, untrusted: Bool = false) {
        spec = DeviceSpec(name: name, iommu: iommu?.name, dmaBits: dmaBits, coherent: coherent, untrusted: untrusted)
        self.iommu = iommu
        self.role = role
        inFlight = role.defaultInFlight
    }

    var name: String { spec.name }

    /// `use_dma_iommu()`: an IOMMU with a DMA domain, so `dma_iova_try_alloc` can succeed.
    /// Without one (no IOMMU, or an identity domain) the driver takes the streaming path.
    /// An untrusted device always gets a DMA domain (`iommu_get_default_domain_type()`).
    var usesIOVA: Bool { iommu.map { $0.mode != .passthrough || spec.forcesDMADomain } ?? false }

    /// Whether its domain has a flush queue: a lazy IOMMU, and not for an untrusted
    /// device, whose domain is always strict.
    var usesFlushQueue: Bool { usesIOVA && iommu!.mode == .lazy && !spec.forcesDMADomain }

    /// The size and alignment of the pages the driver links: the IOVA granule (a link
    /// must start granule aligned after the first), or 4 KiB without a domain.
    var unitBytes: UInt64 { usesIOVA ? iommu!.granuleBytes : 4096 }

    var needsSyncMap: Bool { usesIOVA && iommu!.needsSyncMap }

    /// dma-direct: whether the bus address of `[phys, phys+length)` is under the DMA mask.
    func reaches(_ phys: UInt64, length: UInt64) -> Bool {
        usesIOVA || phys + length - 1 <= spec.dmaMask
    }

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
        default: return true
        }
    }
}
