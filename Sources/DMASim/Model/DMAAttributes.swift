/// The `DMA_ATTR_*` flags a mapping call may carry (include/linux/dma-mapping.h).
///
/// Bit positions follow the kernel's definitions where the kernel has one, so an
/// imported trace's numeric attrs keep their meaning.
public struct DMAAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `DMA_ATTR_WEAK_ORDERING`.
    public static let weakOrdering = DMAAttributes(rawValue: 1 << 1)
    /// `DMA_ATTR_WRITE_COMBINE`.
    public static let writeCombine = DMAAttributes(rawValue: 1 << 2)
    /// An allocation attribute; dma-debug's `DMA_ATTR_UNMAP_VALID` still wants it the same
    /// at unmap as at map (7.2+).
    public static let noKernelMapping = DMAAttributes(rawValue: 1 << 4)
    /// Skips cache maintenance and swiotlb copies at map/link/unlink, and silences
    /// dma-debug's overlap check.
    public static let skipCPUSync = DMAAttributes(rawValue: 1 << 5)
    /// Allocation attributes, no effect on a streaming map or a link; `FORCE_CONTIGUOUS` is
    /// in `DMA_ATTR_UNMAP_VALID` (7.2+).
    public static let forceContiguous = DMAAttributes(rawValue: 1 << 6)
    /// `DMA_ATTR_ALLOC_SINGLE_PAGES`.
    public static let allocSinglePages = DMAAttributes(rawValue: 1 << 7)
    /// `DMA_ATTR_NO_WARN`: no warning when a mapping fails.
    public static let noWarn = DMAAttributes(rawValue: 1 << 8)
    /// Adds `IOMMU_PRIV` to the page-table entry.
    public static let privileged = DMAAttributes(rawValue: 1 << 9)
    /// The range is MMIO (a P2P BAR): `IOMMU_MMIO` replaces `IOMMU_CACHE` (6.18+).
    public static let mmio = DMAAttributes(rawValue: 1 << 10)
    /// dma-debug's cacheline-overlap check is silenced when both mappings sharing the
    /// line carry it (7.0: `DMA_ATTR_CPU_CACHE_CLEAN` renamed; virtio's shared buffers).
    public static let debuggingIgnoreCachelines = DMAAttributes(rawValue: 1 << 11)
    /// 7.0+: the mapping must need neither a bounce nor cache maintenance; RDMA umem and
    /// HMM pass it. A call that would need either fails instead.
    public static let requireCoherent = DMAAttributes(rawValue: 1 << 12)
    /// 7.3: the memory is shared (decrypted) with the host of a confidential-computing
    /// guest. dma-direct maps it at its unencrypted address and never bounces it; only a
    /// device that bounces everything (`is_swiotlb_force_bounce()`) may map it, and the
    /// IOMMU path refuses it (kernel/dma/direct.h, kernel/dma/mapping.c).
    public static let ccShared = DMAAttributes(rawValue: 1 << 13)

    /// Op-script spellings, in the order the printer emits them.
    public static let namedFlags: [(name: String, flag: DMAAttributes)] = [
        ("weak-ordering", .weakOrdering),
        ("write-combine", .writeCombine),
        ("no-kernel-mapping", .noKernelMapping),
        ("skip-cpu-sync", .skipCPUSync),
        ("force-contiguous", .forceContiguous),
        ("alloc-single-pages", .allocSinglePages),
        ("no-warn", .noWarn),
        ("privileged", .privileged),
        ("mmio", .mmio),
        ("debugging-ignore-cachelines", .debuggingIgnoreCachelines),
        ("require-coherent", .requireCoherent),
        ("cc-shared", .ccShared),
    ]

    /// Other spellings the parser takes: the kernel's trace names (`CACHELINES_OVERLAP`),
    /// the short form, and the bit's first name (`DMA_ATTR_CPU_CACHE_CLEAN`, trace
    /// `CACHE_CLEAN`, before the 7.0 rename). The printer writes the names above.
    public static let flagAliases: [(name: String, flag: DMAAttributes)] = [
        ("ignore-cachelines", .debuggingIgnoreCachelines),
        ("cachelines-overlap", .debuggingIgnoreCachelines),
        ("cpu-cache-clean", .debuggingIgnoreCachelines),
        ("cache-clean", .debuggingIgnoreCachelines),
    ]

    /// The comma list used by op scripts (`skip-cpu-sync,mmio`); empty for no flags.
    public var scriptSpelling: String {
        Self.namedFlags.filter { contains($0.flag) }.map(\.name).joined(separator: ",")
    }

    /// Parses one flag name; nil for a name the kernel has no attribute for.
    public init?(flagName: String) {
        guard let entry = (Self.namedFlags + Self.flagAliases).first(where: { $0.name == flagName }) else { return nil }
        self = entry.flag
    }
}
