import Testing
@testable import DMASim

/// Issue 21 item 5: what one op costs follows what it really touches. Cache maintenance
/// visits the lines the cache holds, the slow unlink path steps by PTE run, the checker's
/// ownership of a huge buffer is one entry, a 16 TiB link is one page-table run; data
/// accesses, which store or hash every byte, are refused above 1 GiB with the limit named.
@Suite struct CostBoundTests {
    static let ram = TestMachine.ram
    static let shared = TestMachine.shared

    static func nonCoherent(_ iommu: IOMMUSpec? = IOMMUSpec(name: "mmu0")) -> TestMachine {
        TestMachine(iommu: iommu, devices: [DeviceSpec(name: "dsp0", iommu: iommu?.name, coherent: false)])
    }

    /// `arch_sync_dma_for_device()` over 1 TiB of untouched memory writes back the one dirty
    /// line there and costs nothing for the rest.
    @Test func maintenanceOfAHugeRangeTouchesOnlyHeldLines() throws {
        let machine = Self.nonCoherent()
        machine.cpuWrite(Self.shared + (1 << 39), len: 64, fill: .byte(7))
        let cache = try #require(machine.engine.cache)
        #expect(cache.lineState(Self.shared + (1 << 39)) == .dirty)
        let mapped = machine.map("m1", dev: "dsp0", phys: Self.shared, len: 1 << 40, dir: .toDevice)
        #expect(mapped.events.first == SideEvent(.cacheClean, address: Self.shared, length: 1 << 40))
        #expect(machine.engine.cache?.lineState(Self.shared + (1 << 39)) == .clean)
    }

    /// A clean whose `start + size` passes 2^64: arm64's loop (`dcache_by_myline_op_nosync`)
    /// maintains the line at `start`, finds `start >= end` and stops — one line, not the
    /// range to the top of memory.
    @Test func aWrappingMaintenanceRangeIsItsFirstLine() throws {
        #expect(CacheLineSpan(phys: 0x1_0040, length: UInt64.max) == CacheLineSpan(phys: 0x1_0040, length: 64))
        #expect(CacheLineSpan(phys: 0x1_0050, length: UInt64.max - 0x100).phys == 0x1_0040)
        #expect(CacheLineSpan(phys: 0x1_0050, length: 0x100).length == 0x100)
        let machine = Self.nonCoherent()
        machine.cpuWrite(Self.ram, len: 128, fill: .byte(7))  // two dirty lines
        // iommu_dma_map_phys(): the clean comes before the IOVA allocation, which fails.
        let mapped = machine.map("m1", dev: "dsp0", phys: Self.ram, len: UInt64.max - 0xfff, dir: .toDevice)
        #expect(mapped.status == .mappingError)
        let cache = try #require(machine.engine.cache)
        #expect(cache.lineState(Self.ram) == .clean)
        #expect(cache.lineState(Self.ram + 64) == .dirty)
    }

    /// `iommu_dma_iova_unlink_range_slow()` on a 1 GiB block: one invalidate for the whole
    /// physically contiguous stretch, not 262,144.
    @Test func theSlowUnlinkPathStepsByRun() {
        let machine = Self.nonCoherent()
        machine.alloc("s1", dev: "dsp0", size: 1 << 30)
        machine.link("s1", len: 1 << 30, dir: .fromDevice)
        let unlinked = machine.unlink("s1", len: 1 << 30, dir: .fromDevice)
        #expect(unlinked.events.filter { $0.kind == .cacheInvalidate } == [SideEvent(.cacheInvalidate, address: Self.shared, length: 1 << 30)])
        // Two links of separate memory are two stretches.
        machine.link("s1", len: 0x2000, dir: .fromDevice)
        machine.link("s1", off: 0x2000, phys: Self.shared + (1 << 31), len: 0x2000, dir: .fromDevice)
        #expect(machine.unlink("s1", len: 0x4000, dir: .fromDevice).events.filter { $0.kind == .cacheInvalidate }.count == 2)
    }

    /// A 16 TiB link of 4 KiB PTEs (IOVA and phys not aligned alike within 2 MiB) is one
    /// run in the page table, and its ownership one entry off the per-page index.
    @Test func aSixteenTiBLinkIsOneRun() throws {
        let machine = Self.nonCoherent()
        machine.alloc("s1", dev: "dsp0", size: 8192)
        let linked = machine.link("s1", len: 1 << 44, dir: .toDevice)
        #expect(linked.status == .ok)
        let domain = try #require(machine.engine.devices["dsp0"]?.domain)
        #expect(domain.pageTable.runCount == 1)
        #expect(domain.pageTable.presentGranules == (1 << 44) >> 12)
        #expect(machine.cpuWrite(Self.shared + (1 << 35), len: 64, fill: .zero).reports(.cpuAccessDeviceOwned))
        #expect(machine.unlink("s1", len: 1 << 44, dir: .toDevice).status == .ok)
        #expect(domain.pageTable.runCount == 0)
    }

    /// The checker's ownership map: small buffers by page, a huge one in the list of
    /// large entries; both found by an access that overlaps them, in id order.
    @Test func ownershipOfLargeBuffersIsOneEntry() {
        var map = OwnershipMap()
        let small = map.add(OwnershipMap.Entry(owner: .mapping(0), first: 0x1000, end: 0x3000, direction: .toDevice, bounced: false))
        let large = map.add(OwnershipMap.Entry(owner: .mapping(1), first: 0x2000, end: 1 << 50, direction: .toDevice, bounced: false))
        #expect(map.overlapping(0x2800, 0x2900) == [small, large])
        #expect(map.overlapping(0x10_0000, 1 << 60) == [large])
        #expect(map.overlapping(0, 0x1000).isEmpty)
        map.remove(large)
        #expect(map.overlapping(0x10_0000, 1 << 60).isEmpty)
        #expect(!map.isEmpty)
    }

    /// Each data access moves at most 1 GiB: above, the op is refused with the limit.
    @Test func dataAccessesAboveTheLimitAreRefused() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "d0", iommu: nil)])
        let refused = "one access moves at most 0x40000000 bytes (1 GiB), since the simulator stores every byte written and hashes every byte read"
        #expect(machine.cpuWrite(Self.shared, len: 1 << 40, fill: .zero).status == .rejected("cpu-write of 0x10000000000 bytes: \(refused)"))
        #expect(machine.cpuRead(Self.shared, len: (1 << 30) + 1).status == .rejected("cpu-read of 0x40000001 bytes: \(refused)"))
        #expect(machine.devWrite("d0", .absolute(Self.shared), len: 1 << 40, fill: .zero).status == .rejected("dev-write of 0x10000000000 bytes: \(refused)"))
        #expect(machine.devRead("d0", .absolute(Self.shared), len: 1 << 16).status == .ok)
    }

    /// A device using DMA_MAPPING_ERROR (2^64 − 1) still runs, and faults at its first byte.
    @Test func anAccessThatWrapsFaultsAtItsFirstByte() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "d0", iommu: nil)])
        let outcome = machine.devRead("d0", .absolute(.max), len: 4096)
        #expect(outcome.status == .fault(Fault(kind: .busError, address: .max, isWrite: false)))
    }

    /// The pool's per-slot metadata bounds it: above 1 GiB it is refused.
    @Test func aSwiotlbPoolAbove1GiBIsRefused() {
        let machine = TestMachine()
        #expect(machine.swiotlb(size: 1 << 31).status == .rejected(
            "swiotlb size 0x80000000 is more than the simulator's 0x40000000 (1 GiB, 524288 slots): it keeps io_tlb_slot metadata per 2 KiB slot, as the kernel does, whose swiotlb_memblock_alloc() would fail and halve the request"))
    }
}
