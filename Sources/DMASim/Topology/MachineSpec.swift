/// The CPU architecture the simulated kernel runs on.
///
/// The engine only carries it (`Engine.machine.arch`); what it changes — the cache-line
/// size `ARCH_DMA_MINALIGN`, the default IOMMU mode — is modelled by the 7.3 model's owner
/// (docs/kernel-model.md, "Kernel versions").
public enum Architecture: String, Sendable, CaseIterable, Hashable {
    /// x86-64.
    case x86_64
    /// arm64 (AArch64).
    case arm64
}

/// Which kernel's DMA semantics the engine follows where they differ between releases
/// (docs/kernel-model.md, "Kernel versions"): every release from 6.16, the first with the
/// two-step API, to 7.3, the lab's. `KernelRules` names each difference and the first
/// release that has it; releases compare in release order.
public enum KernelVersion: String, Sendable, CaseIterable, Hashable, Comparable {
    /// Linux 6.16: the two-step API as first merged; `dma_iova_destroy` unlinks with
    /// `free_iova = true`, which on a flush-queue domain defers the IOTLB flush and queues
    /// the IOVA.
    case v6_16 = "6.16"
    /// 6.17: the block layer's and NVMe's use of the two-step API; no change to its semantics.
    case v6_17 = "6.17"
    /// 6.18: `dma_map_phys()` and `DMA_ATTR_MMIO`; swiotlb's two-step link stops mapping an
    /// empty middle.
    case v6_18 = "6.18"
    /// 6.19: VT-d and AMD-Vi map through the generic IOMMU page table (-EADDRINUSE, -ENXIO).
    case v6_19 = "6.19"
    /// 7.0: `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES`, `DMA_ATTR_REQUIRE_COHERENT`; dma-debug
    /// quiet about overlaps where `dma_get_cache_alignment()` is below a cache line.
    case v7_0 = "7.0"
    /// 7.1: `DMA_ATTR_CC_SHARED`; dma-debug reports `DMA_ATTR_MMIO` on RAM.
    case v7_1 = "7.1"
    /// 7.2: dma-debug records attributes and checks them at unmap.
    case v7_2 = "7.2"
    /// Linux 7.3 (the lab's Debian 7.3.4, the default): `dma_iova_destroy` is
    /// `dma_iova_unlink` then `dma_iova_free`, synchronous in every IOMMU mode.
    case v7_3 = "7.3"

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The release whose DMA semantics a kernel `major.minor` has: its own, else the
    /// newest older one the model knows (7.4 follows 7.3), else 6.16, the first with the
    /// two-step API.
    public static func following(major: Int, minor: Int) -> KernelVersion {
        allCases.last { version in
            let parts = version.rawValue.split(separator: ".").compactMap { Int($0) }
            return (parts[0], parts[1]) <= (major, minor)
        } ?? .v6_16
    }
}

/// `machine arch=… kernel=… cpus=… hz=…`: the machine the ops run on. A script declares it
/// at most once, before any other topology; without one the defaults hold.
public struct MachineSpec: Sendable, Hashable {
    /// The architecture.
    public var arch: Architecture
    /// The kernel release whose semantics apply.
    public var kernel: KernelVersion
    /// Online CPUs: an op's `cpu` is below this.
    public var cpuCount: Int
    /// `CONFIG_HZ`: how long a jiffy is, which rounds every kernel timer's deadline.
    public var hz: Int
    /// `CONFIG_DMA_API_DEBUG`: when off (as in distribution kernels), `dma_need_unmap()` is
    /// false for a coherent dma-direct device that never bounced, and drivers (NVMe's PRP
    /// path, block/blk-mq-dma.c) then never unmap: such mappings are not the checker's to
    /// track (kernel/dma/mapping.c `dma_need_unmap`). On by default: the checker is dma-debug.
    public var dmaDebug: Bool
    /// Where the jiffy ticks fall on the clock: jiffies advance at `tickPhase + n × 10⁹/HZ`
    /// ns. A trace's clock starts at boot but the tick's phase against it is not in the
    /// trace; 0 unless the machine says.
    public var tickPhase: UInt64

    /// The `CONFIG_HZ` choices of kernel/Kconfig.hz.
    public static let hzChoices = [100, 250, 300, 1000]
    /// `CONFIG_NR_CPUS` of Debian's x86-64 kernel: the most CPUs a machine may declare.
    public static let maxCPUCount = 8192

    /// Debian's kernels are built with `CONFIG_HZ_250=y` (the lab kernel's config), which is
    /// also Kconfig.hz's default; arm64 keeps that default.
    public static func defaultHZ(for arch: Architecture) -> Int { 250 }

    /// A machine as its `machine` line declares it; unset keys take the defaults.
    public init(arch: Architecture = .x86_64, kernel: KernelVersion = .v7_3, cpuCount: Int = 1, hz: Int? = nil,
                dmaDebug: Bool = true, tickPhase: UInt64 = 0) {
        self.arch = arch; self.kernel = kernel; self.cpuCount = cpuCount
        self.hz = hz ?? Self.defaultHZ(for: arch)
        self.dmaDebug = dmaDebug; self.tickPhase = tickPhase
    }

    /// Nanoseconds per jiffy.
    public var tickNanoseconds: UInt64 { 1_000_000_000 / UInt64(hz) }
}
