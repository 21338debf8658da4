import Testing
@testable import DMASim

/// The swiotlb pool the kernel makes at boot when the command line says nothing
/// (`swiotlb_init()` from x86's `pci_iommu_alloc()` after `pci_swiotlb_detect()`, from
/// arm64's `mem_init()`), `swiotlb=noforce` (`setup_io_tlb_npages()` sets
/// `swiotlb_force_disable`, so `swiotlb_init_remap()` makes none), and a pool declared
/// too late (kernel/dma/swiotlb.c, Engine+Boot).
@Suite struct BootSwiotlbTests {
    static let fourGiB: UInt64 = 1 << 32

    /// A machine of one RAM region at 1 MiB and an untrusted NVMe device that set
    /// `dma_set_min_align_mask(dev, 0xfff)`; `pool` is the script's `swiotlb` line, if any.
    static func machine(arch: Architecture = .x86_64, ramBytes: UInt64, shared: Bool = false,
                        pool: SwiotlbSpec? = nil) -> Engine {
        let engine = Engine()
        var topology: [Op] = [
            .machine(MachineSpec(arch: arch)),
            .region(RegionSpec(name: "ram0", base: 0x10_0000, sizeBytes: ramBytes, kind: .ram)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),
            .device(DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true, minAlignMask: 0xFFF)),
        ]
        if shared { topology.append(.region(RegionSpec(name: "shm0", base: 0x10_0000_0000, sizeBytes: 1 << 36, kind: .shared))) }
        if let pool { topology.append(.swiotlb(pool)) }
        for op in topology { precondition(engine.apply(op).status == .ok, "topology op \(op) failed") }
        return engine
    }

    /// The first op that is not a declaration: an unaligned link of the untrusted device,
    /// which bounces its head when there is a pool.
    static func firstCall(_ engine: Engine) -> (alloc: Outcome, link: Outcome) {
        let alloc = engine.apply(.alloc(AllocOp(state: "s1", device: "nvme0", phys: 0x200_0200, sizeBytes: 0x200)))
        let link = engine.apply(.link(LinkOp(state: "s1", offset: 0, phys: 0x200_0200, length: 0x200, direction: .toDevice)))
        return (alloc, link)
    }

    /// x86 `pci_swiotlb_detect()`: `max_possible_pfn > MAX_DMA32_PFN` or no pool. Under
    /// 4 GiB of RAM the untrusted device's unaligned link is -ENOMEM, "DMA bounce buffers
    /// are inactive" (`iommu_dma_map_swiotlb()`; the lab runs of 7.3.4, fixtures/scripts/lab/).
    @Test func x86UnderFourGiBHasNoPool() {
        let engine = Self.machine(ramBytes: 3 << 30, shared: true)   // shared memory above 4 GiB does not count
        let (alloc, link) = Self.firstCall(engine)
        #expect(alloc.warnings.isEmpty)
        #expect(engine.swiotlbPool == nil && engine.swiotlb == nil)
        #expect(link.status == .errno(.ENOMEM))
        #expect(link.warnings == ["nvme0: DMA bounce buffers are inactive, unable to map unaligned transaction."])
    }

    /// RAM past 4 GiB: `CONFIG_SWIOTLB_DEFAULT_SIZE_MB` (64 MiB), taken top-down below
    /// 4 GiB by `swiotlb_memblock_alloc()`; `swiotlb_print_info()`'s line comes with the
    /// first call, and the link bounces into it.
    @Test func x86PastFourGiBGets64MiBBelowFourGiB() {
        let engine = Self.machine(ramBytes: 8 << 30)
        let (alloc, link) = Self.firstCall(engine)
        let base = Self.fourGiB - (64 << 20)
        #expect(alloc.warnings == ["software IO TLB: mapped [mem 0x00000000fc000000-0x0000000100000000] (64MB)"])
        #expect(engine.swiotlb == SwiotlbSpec(sizeBytes: 64 << 20, base: base))
        #expect(engine.swiotlbPool?.base == base)
        #expect(engine.memoryRegions.map(\.name) == ["ram0"], "the pool is carved out of ram0, not a region of its own")
        #expect(link.status == .ok)
        #expect(link.ranges.map(\.bounced) == [true])
        #expect(link.ranges.first?.phys == base)
        #expect(!link.warnings.contains { $0.contains("software IO TLB") }, "printed once, at boot")
    }

    struct ArmCase: CustomTestStringConvertible, Sendable {
        let ramBytes: UInt64
        let poolBytes: UInt64
        var testDescription: String { "\(ramBytes >> 20) MiB of RAM: \(poolBytes >> 10) KiB pool" }
    }

    /// arm64 `mem_init()`: with `CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC` a pool always; RAM past
    /// the DMA zone gets the default 64 MiB, else `DIV_ROUND_UP(memblock_phys_mem_size(),
    /// 1024)`, which `swiotlb_adjust_size()` rounds up to whole `IO_TLB_SEGSIZE` segments.
    @Test(arguments: [
        ArmCase(ramBytes: 100 << 20, poolBytes: 256 << 10),
        ArmCase(ramBytes: 1 << 30, poolBytes: 1 << 20),
        ArmCase(ramBytes: 3 << 30, poolBytes: 3 << 20),
        ArmCase(ramBytes: 6 << 30, poolBytes: 64 << 20),
    ])
    func arm64AlwaysHasOne(_ example: ArmCase) {
        let engine = Self.machine(arch: .arm64, ramBytes: example.ramBytes)
        let (_, link) = Self.firstCall(engine)
        #expect(engine.swiotlb?.sizeBytes == example.poolBytes)
        #expect(engine.swiotlb.map { $0.base + $0.sizeBytes } == min(0x10_0000 + example.ramBytes, Self.fourGiB))
        #expect(link.status == .ok && link.ranges.map(\.bounced) == [true])
    }

    /// `swiotlb=noforce`: `swiotlb_init_remap()` returns before allocating, even on arm64.
    @Test func noforceMakesNone() {
        let engine = Self.machine(arch: .arm64, ramBytes: 1 << 30, pool: .noForce)
        let (alloc, link) = Self.firstCall(engine)
        #expect(alloc.warnings.isEmpty)
        #expect(engine.swiotlbPool == nil)
        #expect(link.status == .errno(.ENOMEM))
        #expect(link.warnings == ["nvme0: DMA bounce buffers are inactive, unable to map unaligned transaction."])
    }

    /// A declared pool is the command line's `swiotlb=N`: it replaces the default, at the
    /// place declared, and no boot line is printed for it.
    @Test func aDeclaredPoolReplacesTheDefault() {
        let engine = Self.machine(ramBytes: 8 << 30, pool: SwiotlbSpec(sizeBytes: 256 << 10))
        let (alloc, _) = Self.firstCall(engine)
        #expect(alloc.warnings.isEmpty)
        #expect(engine.swiotlb == SwiotlbSpec(sizeBytes: 256 << 10))
    }

    /// `swiotlb_init()` runs once, from `mem_init()`: a pool declared after the first call
    /// is refused, with or without a default one.
    @Test func aPoolAfterTheFirstCallIsRefused() {
        for ramBytes: UInt64 in [3 << 30, 8 << 30] {
            let engine = Self.machine(ramBytes: ramBytes)
            _ = Self.firstCall(engine)
            let late = engine.apply(.swiotlb(SwiotlbSpec(sizeBytes: 256 << 10)))
            #expect(late.status == .rejected("swiotlb is set up at boot, before the first call: declare it with the rest of the machine"))
        }
    }

    /// Boot survives a checkpoint either way: a state taken before the first call still
    /// makes the default pool, one taken after still refuses a late pool.
    @Test func bootSurvivesACheckpoint() throws {
        let before = try Engine.decodingState(Self.machine(ramBytes: 8 << 30).encodeState())
        #expect(before.swiotlbPool == nil)
        _ = Self.firstCall(before)
        #expect(before.swiotlb?.sizeBytes == 64 << 20)
        let after = try Engine.decodingState(before.encodeState())
        #expect(after.swiotlb == before.swiotlb)
        #expect(after.apply(.swiotlb(.noForce)).status != .ok)
    }
}
