/// One `struct dma_iova_state` as the driver holds it, plus what the checker remembers
/// about its life. The kernel part is `addr` and `size` (with `DMA_IOVA_USE_SWIOTLB`);
/// the rest is shadow bookkeeping the kernel does not keep.
struct IOVAStateRecord {
    enum Life: Hashable {
        /// try_alloc succeeded; the IOVA is ours.
        case allocated
        /// try_alloc returned false: the state is zeroed (`dma_use_iova()` false).
        case failed
        case destroyed
        case freed
    }

    let handle: String
    /// The device itself, so calls on the state need no lookup by name.
    let runtime: DeviceRuntime
    /// Which record came first: `detach` reports leaks in the order the states were made.
    let serial: Int
    /// `state->addr`: the IOVA plus the in-granule offset of try_alloc's `phys`.
    var addr: UInt64
    /// `dma_iova_size(state)`.
    var sizeBytes: UInt64
    /// `DMA_IOVA_USE_SWIOTLB` in `__size`.
    var usesSwiotlb = false
    var life: Life
    /// Granules unlinked and not linked again, to tell use-after-unlink from a plain fault.
    var unlinkedGranules = SpanSet()
    /// A link of this state failed after earlier links succeeded (blk-mq-dma bug shape).
    var hasFailedLink = false
    /// Bytes linked successfully so far (for the partial-link check).
    var linkedBytes: UInt64 = 0
    /// The distinct direction/attribute combinations links of this state used, for
    /// the unlink-attribute-mismatch check.
    var linkSignatures = LinkSignatures()
    /// Checker: ownership-map entries of linked pieces the CPU must keep off.
    var ownershipIDs: [Int] = []

    init(handle: String, device: DeviceRuntime, serial: Int, addr: UInt64, sizeBytes: UInt64, life: Life) {
        self.handle = handle; self.runtime = device; self.serial = serial
        self.addr = addr; self.sizeBytes = sizeBytes; self.life = life
    }

    var device: String { runtime.spec.name }
    var isLive: Bool { life == .allocated }
}

/// What of a link's arguments `__iommu_dma_iova_unlink()` acts on again at unlink: the
/// direction (cache invalidate, swiotlb copy-back) and the attributes that skip them.
struct LinkSignature: Hashable {
    var direction: DMADirection
    var skipCPUSync: Bool
    var mmio: Bool

    init(direction: DMADirection, attributes: DMAAttributes) {
        self.direction = direction
        skipCPUSync = attributes.contains(.skipCPUSync)
        mmio = attributes.contains(.mmio)
    }

    /// `dir=from-device attrs=skip-cpu-sync`, as an op script spells it.
    var description: String {
        var attributes: DMAAttributes = []
        if skipCPUSync { attributes.insert(.skipCPUSync) }
        if mmio { attributes.insert(.mmio) }
        let spelled = attributes.scriptSpelling
        return "dir=\(direction.rawValue)" + (spelled.isEmpty ? "" : " attrs=\(spelled)")
    }
}
