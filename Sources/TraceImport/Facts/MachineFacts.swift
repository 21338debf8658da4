/// What a trace says about the machine it came from, besides its events: the IOMMU's
/// invalidation policy and kind, the IOMMU groups and their domain types, the CPU count,
/// the kernel release. Read from the kernel log's own lines wherever they appear (a
/// dmesg file, or the `# dmesg:` lines a `kernel-lab` or `dmajournal capture` header
/// quotes), the command line, ftrace's `#P:` header, and the capture header's `#` facts:
///
///     # cmdline: console=ttyS0 intel_iommu=on iommu.strict=1 …
///     # cpus: 2
///     # iommu_group 1: type=DMA-FQ devices=0000:00:01.0
///     # dmesg: [    1.929683] iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)
///     # entries-in-buffer/entries-written: 18031/18031   #P:1
///
/// Each value keeps the first source that gave it; `provenance` says which, for the
/// assumptions a simulation prints.
public struct MachineFacts: Sendable, Hashable {
    /// One IOMMU group as sysfs shows it (`/sys/kernel/iommu_groups/N/type`, `devices/`).
    public struct Group: Sendable, Hashable {
        public var id: Int
        /// `DMA` (strict), `DMA-FQ` (lazy), `identity` (passthrough), `blocked`.
        public var type: String?
        public var devices: [String]
    }

    /// Which IOMMU driver translates: VT-d, AMD-Vi, virtio-iommu, an Arm SMMU.
    public enum IOMMUKind: String, Sendable, Hashable {
        case intel = "intel-vt-d"
        case amd = "amd-vi"
        case virtio = "virtio-iommu"
        case armSMMU = "arm-smmu"
    }

    /// `iommu.strict=`, the dmesg policy line, or the groups' types: true strict, false lazy.
    public var strict: Bool?
    /// `iommu.passthrough=1` or `iommu: Default domain type: Passthrough`.
    public var passthrough: Bool?
    /// The IOMMU is off (`intel_iommu=off`, `DMAR: IOMMU disabled`) or absent.
    public var iommuDisabled: Bool?
    public var iommuKind: IOMMUKind?
    public var groups: [Int: Group] = [:]
    public var cpuCount: Int?
    /// `uname -r` or the capture header's kernel release (`7.3.4+deb13-amd64`).
    public var kernelRelease: String?
    /// The kernel's dma-debug is on (it prints "DMA-API: …" lines at boot).
    public var dmaDebug: Bool?
    /// What the log says of the swiotlb bounce pool (`SwiotlbFacts`).
    public var swiotlb = SwiotlbFacts()
    /// Devices a dma-direct or swiotlb overflow report named (`swiotlb addr …`, `DMA addr …
    /// overflow (mask M, …)`): they have no IOMMU (M goes to `dmaMasks`).
    public var directDevices: Set<String> = []
    /// `mem=` on the command line: the kernel owns RAM below this; RAM above it has no
    /// `struct page` and no direct map (the lab's hidden-memory runs).
    public var memLimit: UInt64?
    /// The command line forced bouncing (`swiotlb=force`).
    public var swiotlbForce: Bool?
    /// Tasks that oopsed in dma-iommu's bounce (`iommu_dma_map_swiotlb` in the call trace):
    /// the kernel bounced their device's unaligned range, which on a coherent machine it
    /// does only for an untrusted device (`dev_use_swiotlb()`).
    public var bouncingTasks: Set<Int> = []
    /// The pool the kernel lab's module reported (`pool_nslabs`), or none where dma-iommu
    /// said "DMA bounce buffers are inactive" or the command line `swiotlb=noforce`.
    public var labPool: SwiotlbPoolFact?
    /// Devices dma-iommu treats as untrusted (`dev_is_untrusted()`): their unaligned ranges
    /// are bounced (`dev_use_swiotlb()`).
    public var untrustedDevices: Set<String> = []
    /// `dma_get_mask()` of the devices the log gives it for (the lab module's `dma_mask=`,
    /// an overflow report's `mask`).
    public var dmaMasks: [String: UInt64] = [:]
    /// `dma_get_min_align_mask()` of the devices the log gives it for.
    public var minAlignMasks: [String: UInt64] = [:]
    /// Where each fact came from, in the order they were learnt.
    public var provenance: [String] = []

    public init() {}

    /// The group a device is in, from the `iommu_group` facts or dmesg's "Adding to iommu group N".
    public func group(of device: String) -> Group? {
        groups.values.sorted { $0.id < $1.id }.first { $0.devices.contains(device) }
    }

    /// Whether anything is known about the IOMMU.
    public var knowsIOMMU: Bool { strict != nil || passthrough != nil || iommuDisabled != nil || !groups.isEmpty || iommuKind != nil }
}

/// What a log says of the swiotlb pool (kernel/dma/swiotlb.c).
public enum SwiotlbPoolFact: Sendable, Hashable {
    /// `swiotlb_print_info()`: "software IO TLB: mapped [mem START-END] (NMB)", END exclusive.
    case pool(base: UInt64, sizeBytes: UInt64)
    /// None was made: `swiotlb=noforce`, an empty `io_tlb_mem`, or dma-iommu's
    /// "DMA bounce buffers are inactive" (`iommu_dma_map_swiotlb()` found no pool).
    case none
}
