import Testing
@testable import DMASim

/// Block PTEs (issue 15): `iommu_map()` → `__iommu_map()` → `iommu_pgsize()` maps 2 MiB
/// and 1 GiB pages where IOVA and physical address are aligned and the IOMMU's
/// `pgsize_bitmap` has the size; `__iommu_unmap()` over the generic page table clears
/// them whole (drivers/iommu/iommu.c, drivers/iommu/generic_pt/iommu_pt.h).
@Suite struct LargePageTests {
    static let base = TestMachine.shared  // 16 TiB: aligned to every block size
    static let twoMiB: UInt64 = 2 << 20
    static let oneGiB: UInt64 = 1 << 30

    struct PageSizeCase: CustomTestStringConvertible, Sendable {
        let name: String
        let iova: UInt64, paddr: UInt64, size: UInt64
        let pageBytes: UInt64, count: UInt64
        var testDescription: String { name }
    }

    /// `iommu_pgsize()` on VT-d's 4K|2M|1G, step by step as `__iommu_map()` calls it.
    static let pageSizeCases: [PageSizeCase] = [
        PageSizeCase(name: "4K alone", iova: 0x1000, paddr: 0x5000, size: 0x1000, pageBytes: 0x1000, count: 1),
        PageSizeCase(name: "aligned 2M is one block", iova: 0x20_0000, paddr: 0x40_0000, size: 0x20_0000, pageBytes: 0x20_0000, count: 1),
        PageSizeCase(name: "4K pages up to the 2M boundary", iova: 0x1f_e000, paddr: 0x3f_e000, size: 0x40_0000, pageBytes: 0x1000, count: 2),
        PageSizeCase(name: "iova and paddr offset differently within 2M: 4K only",
                     iova: 0x20_0000, paddr: 0x40_1000, size: 0x40_0000, pageBytes: 0x1000, count: 0x400),
        PageSizeCase(name: "2M blocks up to the 1G boundary", iova: 0x3fe0_0000, paddr: 0x7fe0_0000, size: 0x8000_0000,
                     pageBytes: 0x20_0000, count: 1),
        PageSizeCase(name: "aligned 3G is three 1G blocks", iova: 0x4000_0000, paddr: 0x8000_0000, size: 0xc000_0000,
                     pageBytes: 0x4000_0000, count: 3),
        PageSizeCase(name: "2M that is too short for the next block", iova: 0x20_0000, paddr: 0x20_0000, size: 0x60_0000,
                     pageBytes: 0x20_0000, count: 3),
    ]

    @Test(arguments: pageSizeCases)
    func iommuPgsizePicksTheLargestAlignedPage(_ example: PageSizeCase) {
        let bitmap = PageSizes.defaultBitmap(granuleBytes: 4096)
        let (pageBytes, count) = PageSizes.pageSize(bitmap: bitmap, iova: example.iova, paddr: example.paddr, sizeBytes: example.size)
        #expect(pageBytes == example.pageBytes)
        #expect(count == example.count)
    }

    /// VT-d and SMMUv3 by granule: 4K|2M|1G, 16K|32M, 64K|512M.
    @Test func defaultPageSizesFollowTheGranule() {
        #expect(PageSizes.sizes(in: PageSizes.defaultBitmap(granuleBytes: 4096)) == [4096, 2 << 20, 1 << 30])
        #expect(PageSizes.sizes(in: PageSizes.defaultBitmap(granuleBytes: 16384)) == [16384, 32 << 20])
        #expect(PageSizes.sizes(in: PageSizes.defaultBitmap(granuleBytes: 65536)) == [65536, 512 << 20])
        #expect(IOMMUSpec(name: "m").pageSizes == 4096 | 2 << 20 | 1 << 30)
    }

    /// A 1 GiB link at 1 GiB aligned IOVA and phys is one block PTE, not 262,144: the
    /// IOVA allocator's size alignment (`alloc_iova(..., size_aligned=true)`) made the
    /// IOVA 1 GiB aligned.
    @Test func anAligned1GiBLinkIsOneBlock() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", phys: Self.base, size: Self.oneGiB).address)
        #expect(iova % Self.oneGiB == 0)
        let linked = machine.link("s1", len: Self.oneGiB)
        #expect(linked.status == .ok)
        #expect(linked.events == [SideEvent(.blockMapped, address: iova, length: Self.oneGiB, target: Self.oneGiB)])
        let domain = try #require(machine.engine.devices["nvme0"]?.domain)
        #expect(domain.pageTable.runCount == 1)
        #expect(domain.pageTable.presentGranules == Self.oneGiB >> 12)
        let unlinked = machine.unlink("s1", len: Self.oneGiB)
        #expect(unlinked == Outcome(events: [SideEvent(.iotlbInvalidate, address: iova, length: Self.oneGiB)]))
        #expect(domain.pageTable.runCount == 0)
    }

    /// Where phys is not aligned with the IOVA inside 2 MiB, every PTE is a granule.
    @Test func misalignedPhysGetsGranulePTEs() {
        let machine = TestMachine()
        machine.alloc("s1", phys: Self.base + 0x1000, size: 4 << 20)
        let linked = machine.link("s1", phys: Self.base + 0x1000, len: 4 << 20)
        #expect(linked.status == .ok)
        #expect(!linked.events.contains { $0.kind == .blockMapped })
    }

    /// `intel_iommu=sp_off`: a bitmap of the granule alone maps 4K PTEs only.
    @Test func granuleOnlyPageSizesMapNoBlocks() {
        let machine = TestMachine(iommu: IOMMUSpec(name: "mmu0", pageSizes: 4096))
        machine.alloc("s1", size: 4 << 20)
        #expect(machine.link("s1", len: 4 << 20).events.isEmpty)
    }

    /// Head and tail in 4K PTEs, the aligned middle in a block.
    @Test func aLinkAcrossABlockBoundaryMixesSizes() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", size: 8 << 20).address)
        // Offset 2M - 8K, length 2M + 16K: 8K of 4K pages, one 2M block, 8K of 4K pages.
        let linked = machine.link("s1", off: Self.twoMiB - 0x2000, phys: Self.base + Self.twoMiB - 0x2000, len: Self.twoMiB + 0x4000)
        #expect(linked.events == [SideEvent(.blockMapped, address: iova + Self.twoMiB, length: Self.twoMiB, target: Self.twoMiB)])
        #expect(linked.ranges.map(\.length) == [Self.twoMiB + 0x4000])
    }

    /// A device access through a block is translated once for the whole block, and the
    /// IOTLB caches the block as one entry.
    @Test func theIOTLBHoldsTheBlockAsOneEntry() throws {
        let machine = TestMachine()
        machine.alloc("s1", size: Self.twoMiB)
        machine.link("s1", len: Self.twoMiB)
        #expect(machine.devWrite(.s("s1", 0x1000), len: 0x3000, fill: .seed(7)).status == .ok)
        #expect(machine.devRead(.s("s1", 0x1f_f000), len: 0x1000).status == .ok)
        let domain = try #require(machine.engine.devices["nvme0"]?.domain)
        #expect(domain.iotlb.count == 1)
        #expect(machine.cpuRead(Self.base + 0x1000, len: 0x3000).digest == machine.devRead(.s("s1", 0x1000), len: 0x3000).digest)
    }

    /// Lazy mode: an unmapped block stays in the IOTLB until the flush queue drains
    /// (`__iommu_dma_unmap()` queues its gather), so a late access anywhere in the 2 MiB
    /// still lands.
    @Test func aStaleBlockEntryServesTheWholeBlockUntilTheFlush() {
        let machine = TestMachine(mode: .lazy)
        machine.map("m1", phys: Self.base, len: Self.twoMiB)
        machine.checkError("m1")
        machine.devRead(.m("m1"), len: 0x1000)
        machine.unmap("m1", len: Self.twoMiB)
        let late = machine.devWrite(.m("m1", 0x10_0000), len: 0x1000, fill: .byte(1))
        #expect(late.status == .ok)
        #expect(TestMachine.classes(late) == [.useAfterUnmap])
        machine.flush()
        #expect(machine.devWrite(.m("m1", 0x10_0000), len: 0x1000, fill: .byte(1)).status.faultKind == .notPresent)
    }

    /// `__unmap_range()`: an unlink that ends inside a block clears all of it and
    /// returns its size; dma-iommu's `WARN_ON(unmapped != size)` fires, and the device
    /// faults on the rest of the block.
    @Test func anUnlinkEndingInsideABlockClearsTheWholeBlock() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", size: Self.twoMiB).address)
        machine.link("s1", len: Self.twoMiB)
        let unlinked = machine.unlink("s1", len: 0x1000)
        #expect(unlinked.warnings == ["WARN_ON(unmapped != size): unmapped 0x200000 of 0x1000 at iova 0x\(hex(iova))"])
        #expect(unlinked.events.contains(SideEvent(.iotlbInvalidate, address: iova, length: Self.twoMiB)))
        #expect(TestMachine.classes(unlinked) == [.unlinkSplitsBlock])
        let rest = machine.devRead(.s("s1", 0x1000), len: 0x1000)
        #expect(rest.status.faultKind == .notPresent)
        #expect(rest.findings.isEmpty)  // not the driver's unlink: the earlier finding says why
    }

    /// An unlink that starts inside a block unmaps nothing there (-EINVAL from the walk).
    @Test func anUnlinkStartingInsideABlockUnmapsNothing() throws {
        let machine = TestMachine()
        let iova = try #require(machine.alloc("s1", size: Self.twoMiB).address)
        machine.link("s1", len: Self.twoMiB)
        let unlinked = machine.unlink("s1", off: 0x1000, len: 0x1000)
        #expect(unlinked.warnings == ["WARN_ON(unmapped != size): unmapped 0x0 of 0x1000 at iova 0x\(hex(iova + 0x1000))"])
        #expect(TestMachine.classes(unlinked) == [.unlinkSplitsBlock])
        #expect(machine.devRead(.s("s1", 0x1000), len: 0x1000).status == .ok)
        // The whole block goes with an unlink of all of it.
        #expect(machine.unlink("s1", len: Self.twoMiB).findings.isEmpty)
    }

    /// The same through `dma_iova_destroy`: a mapped_len that ends inside the second
    /// block frees the IOVA after clearing both blocks; no hole is left to report.
    @Test func aDestroyEndingInsideABlockClearsIt() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4 << 20)
        machine.link("s1", len: 4 << 20)
        let destroyed = machine.destroy("s1", mapped: Self.twoMiB + 0x1000)
        #expect(TestMachine.classes(destroyed) == [.unlinkSplitsBlock])
        #expect(destroyed.warnings.first == "WARN_ON(unmapped != size): unmapped 0x400000 of 0x201000 at iova 0xffc00000")
    }

    /// A streaming map of an aligned 2 MiB buffer gets a block too (`__iommu_dma_map()`
    /// → `iommu_map()`).
    @Test func aStreamingMapOfAnAlignedBufferIsABlock() {
        let machine = TestMachine()
        let mapped = machine.map("m1", phys: Self.base, len: Self.twoMiB)
        #expect(mapped.events.contains { $0.kind == .blockMapped && $0.target == Self.twoMiB })
        #expect(machine.unmap("m1", len: Self.twoMiB).warnings.isEmpty)
    }

    /// The granule is the smallest page size: `page-sizes` without it is refused.
    @Test func pageSizesMustStartAtTheGranule() {
        let engine = Engine()
        let outcome = engine.apply(.iommu(IOMMUSpec(name: "mmu0", granuleBytes: 4096, pageSizes: 2 << 20)))
        #expect(outcome.status == .rejected("iommu mmu0: page-sizes must include the granule (0x1000) and nothing smaller"))
        #expect(engine.apply(.iommu(IOMMUSpec(name: "mmu1", granuleBytes: 65536, pageSizes: 4096 | 65536))).status != .ok)
    }

    /// A changed granule carries the default page sizes with it (`--with granule=`).
    @Test func changingTheGranuleKeepsDefaultPageSizesDefault() {
        var spec = IOMMUSpec(name: "m")
        spec.changeGranule(to: 65536)
        #expect(spec.pageSizes == PageSizes.defaultBitmap(granuleBytes: 65536))
        var fourKOnly = IOMMUSpec(name: "m", pageSizes: 4096)
        fourKOnly.changeGranule(to: 16384)
        #expect(fourKOnly.pageSizes == 16384)
    }
}
