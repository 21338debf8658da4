/// How an IOMMU's default DMA domain invalidates its IOTLB (`iommu.strict=`,
/// `CONFIG_IOMMU_DEFAULT_DMA_*`).
public enum IOMMUMode: String, Sendable, CaseIterable, Hashable {
    /// Unmap invalidates the IOTLB and frees the IOVA at once (`iommu.strict=1`).
    case strict
    /// DMA-FQ: unmap/destroy queue the IOVA; the IOTLB is flushed and the IOVA freed only
    /// when the flush queue drains (full, the 10 ms timer, or a `flush` op).
    case lazy
    /// Identity domain: `use_dma_iommu()` is false, so the device does dma-direct.
    case passthrough

    /// The default domain type an architecture's kernels are built with
    /// (drivers/iommu/Kconfig: `default IOMMU_DEFAULT_DMA_LAZY if X86 || S390`, else
    /// `IOMMU_DEFAULT_DMA_STRICT`; Debian's x86-64 config has `CONFIG_IOMMU_DEFAULT_DMA_LAZY=y`).
    public static func `default`(for arch: Architecture) -> IOMMUMode {
        arch == .x86_64 ? .lazy : .strict
    }
}

/// `iommu NAME mode=… granule=… aperture-bits=… [needs-sync-map] …`.
public struct IOMMUSpec: Sendable, Hashable {
    /// The name ops call the IOMMU by.
    public var name: String
    /// strict, lazy (DMA-FQ) or passthrough.
    public var mode: IOMMUMode
    /// The smallest page size in `pgsize_bitmap`: the IOVA granule G.
    public var granuleBytes: UInt64
    /// `domain->pgsize_bitmap`: every page size the page table maps (bit n: 2^n bytes),
    /// the granule the smallest. `PageSizes.defaultBitmap(granuleBytes:)` unless given
    /// (VT-d and SMMUv3 with a 4K granule: 4K|2M|1G); `granuleBytes` alone turns block
    /// PTEs off, as `intel_iommu=sp_off` does.
    public var pageSizes: UInt64
    /// `geometry.aperture_end = 2^bits - 1`; the allocator never goes above it.
    public var apertureBits: Int
    /// The driver implements `iotlb_sync_map` (virtio-iommu, s390, …): linked granules
    /// are invisible to the device until `dma_iova_sync` covers them.
    public var needsSyncMap: Bool
    /// Entries per flush-queue ring: 256 per CPU (`IOVA_DEFAULT_FQ_SIZE`) or 32768 for
    /// the single-queue option (`IOVA_SINGLE_FQ_SIZE`).
    public var flushQueueSlots: Int
    /// `IOVA_SINGLE_FQ_SIZE`: the ring size of the single-queue option.
    public static let singleFlushQueueSlots = 32768

    /// The single-queue option (`IOMMU_DMA_OPTS_SINGLE_QUEUE`, chosen by
    /// `iommu_dma_init_options()` for IOMMUs whose IOTLB flushes shadow the page table):
    /// one queue for all CPUs, `IOVA_SINGLE_FQ_SIZE` slots, `IOVA_SINGLE_FQ_TIMEOUT`. The
    /// kernel knows no other use of that size, so `fq-size=32768` declares it.
    public var singleFlushQueue: Bool { flushQueueSlots == Self.singleFlushQueueSlots }
    /// `iommu.forcedac=1`: PCI devices skip the below-4-GiB first attempt.
    public var forceDAC: Bool
    /// Whether `fq_timer` runs on the engine's clock (`fq-timer=kernel`: at the tick
    /// `calc_wheel_index()` gives it) or where `flush` ops say (`fq-timer=explicit`). A
    /// trace does not say when the timer softirq really ran (the tick's phase, a late tick
    /// that left `jiffies` behind at arming, a softirq deferred to ksoftirqd): an import
    /// places each expiry where the trace shows it, from `timer:timer_expire_entry` or from
    /// the first IOVA the kernel handed out again out of the flush queue.
    public var explicitFlushTimer: Bool
    /// IOVA ranges the domain reserves (MSI windows, PCI host-bridge windows), reserved
    /// with `reserve_iova()` when each domain is created. Inclusive byte ranges.
    public var reservedRanges: [ClosedRange<UInt64>]

    /// An IOMMU as its `iommu` line declares it; unset keys take the script's defaults.
    public init(
        name: String, mode: IOMMUMode = .strict, granuleBytes: UInt64 = 4096, pageSizes: UInt64? = nil, apertureBits: Int = 48,
        needsSyncMap: Bool = false, flushQueueSlots: Int = 256, forceDAC: Bool = false,
        reservedRanges: [ClosedRange<UInt64>] = [], explicitFlushTimer: Bool = false
    ) {
        self.name = name; self.mode = mode; self.granuleBytes = granuleBytes
        self.pageSizes = pageSizes ?? PageSizes.defaultBitmap(granuleBytes: granuleBytes)
        self.apertureBits = apertureBits; self.needsSyncMap = needsSyncMap
        self.flushQueueSlots = flushQueueSlots; self.forceDAC = forceDAC
        self.reservedRanges = reservedRanges; self.explicitFlushTimer = explicitFlushTimer
    }
}

extension IOMMUSpec {
    /// The same IOMMU with another granule: page sizes that were the old granule's
    /// default become the new one's; otherwise the sizes above the new granule are kept.
    public mutating func changeGranule(to bytes: UInt64) {
        if pageSizes == PageSizes.defaultBitmap(granuleBytes: granuleBytes) {
            pageSizes = PageSizes.defaultBitmap(granuleBytes: bytes)
        } else {
            pageSizes = pageSizes & ~(bytes | (bytes &- 1)) | bytes
        }
        granuleBytes = bytes
    }
}
