/// What a call did besides its return value: IOTLB maintenance, flush-queue traffic,
/// IOVA frees, cache maintenance, bounce copies and kernel warnings. Each event has one
/// address space, said by its kind: IOVA for the IOMMU events, physical for the others.
public struct SideEvent: Sendable, Hashable {
    /// What happened.
    public var kind: SideEventKind
    /// Start of the range (IOVA or physical, by kind); 0 for events with no range.
    public var address: UInt64
    /// Its length in bytes.
    public var length: UInt64
    /// A second address where the kind has one (the destination of a bounce copy, the
    /// physical address an `iotlb-fill` caches), or the page size of a `block-map`.
    public var target: UInt64

    /// An event of `kind`; fields it has no use for stay 0.
    public init(_ kind: SideEventKind, address: UInt64 = 0, length: UInt64 = 0, target: UInt64 = 0) {
        self.kind = kind; self.address = address; self.length = length; self.target = target
    }
}

/// The kinds of side event; the raw value is the journal's and the printer's spelling.
public enum SideEventKind: String, Sendable, CaseIterable, Hashable {
    /// `iommu_sync_map()` → `ops->iotlb_sync_map` on an IOVA range (needs-sync-map IOMMUs).
    case iotlbSyncMap = "iotlb-sync-map"
    /// `iommu_iotlb_sync()` invalidating an IOVA range.
    case iotlbInvalidate = "iotlb-invalidate"
    /// `flush_iotlb_all()`: every cached translation of the domain dropped.
    case iotlbFlushAll = "iotlb-flush-all"
    /// `queue_iova()`: an IOVA range put on the flush queue (lazy mode).
    case flushQueued = "fq-queue"
    /// The flush queue drained: `length` holds the number of entries freed.
    case flushQueueDrained = "fq-drain"
    /// `free_iova_fast()`: an IOVA range returned to the allocator (rcache or tree).
    case iovaFreed = "iova-free"
    /// `arch_sync_dma_for_device()`: CPU cache clean of a physical range.
    case cacheClean = "cache-clean"
    /// `arch_sync_dma_for_cpu()`: CPU cache invalidate of a physical range.
    case cacheInvalidate = "cache-invalidate"
    /// swiotlb copy, original → bounce slot (`address` → `target`).
    case bounceToDevice = "bounce-to-device"
    /// swiotlb copy, bounce slot → original (`address` → `target`).
    case bounceToCPU = "bounce-to-cpu"
    /// A kernel WARN_ON or pr_err on this path (the message is in `Outcome.warnings`).
    case kernelWarning = "kernel-warning"
    /// "Using %d-bit DMA addresses": the PCI 32-bit-first workaround turned off.
    case dacEnabled = "dac-enabled"
    /// The kernel oopsed inside the call: a page fault reading the physical range
    /// `address`, `length` through `phys_to_virt()` (a bounce of memory outside the
    /// direct map), or a `BUG_ON` (a bounce of 0 bytes at `address`, `length` 0). The
    /// report is in `Outcome.warnings`.
    case kernelOops = "kernel-oops"
    /// `map_pages()` installed block PTEs (`iommu_pgsize()` chose a size above the
    /// granule): `length` bytes of IOVA from `address`, in pages of `target` bytes.
    case blockMapped = "block-map"
    /// An IOTLB miss: the page walk's leaf cached (`address`, `length` of IOVA, mapping to
    /// `target` physical); contiguous pages one access filled are one event. The op that
    /// filled an entry a stale hit later used (`dmajournal state`).
    case iotlbFill = "iotlb-fill"
}

/// A physical range that a link or map put in the page table (or a direct mapping).
public struct MappedRange: Sendable, Hashable {
    /// The device-side address (IOVA, or the bus address for dma-direct).
    public var iova: UInt64
    /// The physical address it starts at.
    public var phys: UInt64
    /// Its length in bytes.
    public var length: UInt64
    /// The protection bits the entries carry.
    public var prot: IOMMUProt
    /// The physical side is a swiotlb slot, not the caller's memory.
    public var bounced: Bool
    /// A range as the page table holds it.
    public init(iova: UInt64, phys: UInt64, length: UInt64, prot: IOMMUProt, bounced: Bool) {
        self.iova = iova; self.phys = phys; self.length = length; self.prot = prot; self.bounced = bounced
    }
}

/// A physical byte range a device access really touched.
public struct PhysRange: Sendable, Hashable {
    /// The physical address it starts at.
    public var phys: UInt64
    /// Its length in bytes.
    public var length: UInt64
    /// The range of `length` bytes from `phys`.
    public init(phys: UInt64, length: UInt64) { self.phys = phys; self.length = length }
}
