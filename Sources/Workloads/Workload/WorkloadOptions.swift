import DMASim

/// What a workload run is asked for: `--seed`, `--ops`, `--devices`, `--region-size`,
/// topology overrides and `--inject`. The same options give the same steps, bit for bit.
public struct WorkloadOptions: Sendable, Hashable {
    public var seed: UInt64
    /// New requests stop once this many steps (topology included) have been generated;
    /// the requests then in flight finish and every device is detached, so a stream is a
    /// little longer than this.
    public var opCount: Int
    /// Devices to declare; nil takes the workload's default.
    public var deviceCount: Int?
    /// The shared region every device works in (no `struct page`): 1 TiB by default.
    public var regionSizeBytes: UInt64
    /// Overrides every IOMMU's mode. Devices declared with `iommu=none` stay so.
    public var iommuMode: IOMMUMode?
    /// Overrides every IOMMU's `needs-sync-map` flag.
    public var needsSyncMap: Bool?
    /// Overrides every IOMMU's granule (4K, 16K or 64K).
    public var granuleBytes: UInt64?
    /// Overrides every device's DMA mask width.
    public var dmaBits: Int?
    /// Requests kept in flight per device; nil takes each kind of device's default.
    public var inFlightPerDevice: Int?
    /// Misuse the simulated driver commits (`--inject CLASS[@RATE|@SEQ]`).
    public var injections: [InjectionSpec]
    /// The kernel whose semantics the run follows (`--kernel`): nil runs on the engine's
    /// default (7.3) and declares no machine; a version declares `machine kernel=…` first.
    public var kernel: KernelVersion?
    /// The bounce pool's size (`--swiotlb`, the command line's `swiotlb=`): nil keeps the
    /// workload's own pool, or none. Journaled as the stream's `swiotlb` line, so a replay
    /// runs on the same pool.
    public var swiotlbBytes: UInt64?
    /// `swiotlb=force` (`--swiotlb-force`): dma-direct bounces every mapping
    /// (`dma_direct_map_phys()` → `swiotlb_map()`); a pool of the default size is made
    /// when no size is given. dma-iommu ignores it (`dev_use_swiotlb()`).
    public var swiotlbForce = false

    public static let defaultRegionSizeBytes: UInt64 = 1 << 40

    public init(
        seed: UInt64 = 1, opCount: Int = 10_000, deviceCount: Int? = nil,
        regionSizeBytes: UInt64 = WorkloadOptions.defaultRegionSizeBytes,
        iommuMode: IOMMUMode? = nil, needsSyncMap: Bool? = nil, granuleBytes: UInt64? = nil, dmaBits: Int? = nil,
        inFlightPerDevice: Int? = nil, injections: [InjectionSpec] = []
    ) {
        self.seed = seed; self.opCount = opCount; self.deviceCount = deviceCount
        self.regionSizeBytes = regionSizeBytes; self.iommuMode = iommuMode; self.needsSyncMap = needsSyncMap
        self.granuleBytes = granuleBytes; self.dmaBits = dmaBits; self.inFlightPerDevice = inFlightPerDevice
        self.injections = injections
    }
}
