@testable import DMASim
import Testing

/// A bounce of 0 bytes with no in-slot offset to keep: `swiotlb_tbl_map_single()` sizes the
/// allocation `ALIGN(mapping_size + offset, alloc_align_mask + 1)` = 0, and
/// `swiotlb_search_pool_area()` stops the kernel at `BUG_ON(!nslots)` (kernel/dma/swiotlb.c)
/// before it takes its lock: the call never returns, nothing is taken.
@Suite struct ZeroLengthBounceTests {
    static func machine(minAlignMask: UInt64 = 0, force: Bool = true) -> TestMachine {
        let machine = TestMachine(devices: [
            DeviceSpec(name: "nic0", iommu: nil, dmaBits: 64),
            DeviceSpec(name: "ut0", iommu: "mmu0", untrusted: true, minAlignMask: minAlignMask),
        ])
        machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: TestMachine.bounceRAM, force: force)))
        return machine
    }

    static func isBug(_ outcome: Outcome) -> Bool {
        outcome.status == .oops && TestMachine.classes(outcome) == [.zeroLengthBounce]
            && outcome.warnings.first == "kernel BUG at kernel/dma/swiotlb.c!"
            && outcome.warnings.contains { $0.hasPrefix("Oops: invalid opcode") }
    }

    /// `dma_direct_map_phys()` under `swiotlb=force` → `swiotlb_map()`: BUG, no slot taken,
    /// no mapping left (a later call through the handle is rejected).
    @Test func directForcedZeroLengthMapBugs() {
        let machine = Self.machine()
        let outcome = machine.map("m1", dev: "nic0", phys: TestMachine.bounceRAM + 0x10_0000, len: 0)
        #expect(Self.isBug(outcome))
        #expect(outcome.warnings.last == "Call Trace: swiotlb_tbl_map_single <- swiotlb_map <- dma_direct_map_phys <- dma_map_phys")
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
        if case .rejected = machine.unmap("m1", len: 0).status {} else { Issue.record("the BUGged map left a mapping") }
        #expect(machine.map("m2", dev: "nic0", phys: TestMachine.bounceRAM + 0x10_0000, len: 4096).address == TestMachine.bounceRAM)
    }

    /// `iommu_dma_map_phys()` → `iommu_dma_map_swiotlb()` for an untrusted device's
    /// unaligned buffer, and `dma_iova_link()`'s head bounce (`bounce_len` =
    /// `min(size, granule - pad)` = 0): BUG, no IOVA or slot taken.
    @Test func untrustedZeroLengthMapAndLinkBug() {
        let machine = Self.machine(force: false)
        let phys = TestMachine.bounceRAM + 0x10_0200
        #expect(Self.isBug(machine.map("m1", dev: "ut0", phys: phys, len: 0)))
        #expect(machine.alloc("s1", dev: "ut0", phys: phys, size: 4096).status == .ok)
        let link = machine.link("s1", phys: phys, len: 0, dir: .toDevice)
        #expect(Self.isBug(link))
        #expect(link.warnings.last?.hasSuffix("iommu_dma_iova_bounce_and_link <- dma_iova_link") == true)
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// With a `min_align_mask` the offset is kept: the allocation is a granule, no BUG, and
    /// the map returns the IOVA with the buffer's offset. Without a pool there is no BUG
    /// either: "DMA bounce buffers are inactive" comes first.
    @Test func nearMisses() {
        let kept = Self.machine(minAlignMask: 0xFFF, force: false)
        let outcome = kept.map("m1", dev: "ut0", phys: TestMachine.bounceRAM + 0x10_0200, len: 0)
        #expect(outcome.status == .ok && outcome.address.map { $0 & 0xFFF } == 0x200)
        let noPool = TestMachine(devices: [DeviceSpec(name: "ut0", iommu: "mmu0", untrusted: true)])
        #expect(noPool.map("m1", dev: "ut0", phys: TestMachine.bounceRAM + 0x200, len: 0).status == .mappingError)
    }
}

/// `__iommu_dma_map()` (drivers/iommu/dma-iommu.c): `dev_WARN_ONCE(dev,
/// dma_get_min_align_mask(dev) > iova_mask(iovad), "Unsupported alignment constraint")`
/// and `DMA_MAPPING_ERROR`; and `swiotlb_tbl_map_single()`'s `dev_WARN_ONCE(dev,
/// alloc_align_mask > ~PAGE_MASK, "Alloc alignment may prevent …")`, after which the map
/// goes on.
@Suite struct IOMMUMapAlignmentTests {
    /// Refused before any IOVA is taken, warned once per boot; a link is not checked.
    @Test func minAlignMaskAboveTheGranuleIsRefused() {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", minAlignMask: 0x1FFF)])
        let first = machine.map("m1", phys: TestMachine.ram, len: 8192)
        #expect(first.status == .mappingError && first.warnings == ["nvme0: Unsupported alignment constraint"])
        let second = machine.map("m2", phys: TestMachine.ram, len: 4096)
        #expect(second.status == .mappingError && second.warnings.isEmpty)
        #expect(machine.alloc("s1", phys: TestMachine.ram, size: 8192).address == 0xFFFF_E000)
        #expect(machine.link("s1", phys: TestMachine.ram, len: 8192).status == .ok)
    }

    /// An untrusted device's bounce on a 64 KiB granule: the slots are aligned to the
    /// granule, above `PAGE_SIZE`, so swiotlb warns once; the map succeeds.
    @Test func bounceAlignedAbovePageSizeWarnsOnce() {
        let machine = TestMachine(iommu: IOMMUSpec(name: "mmu0", granuleBytes: 65536),
                                  devices: [DeviceSpec(name: "ut0", iommu: "mmu0", untrusted: true)])
        machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: TestMachine.bounceRAM)))
        let warning = "ut0: Alloc alignment may prevent fulfilling requests with max mapping_size"
        let first = machine.map("m1", dev: "ut0", phys: TestMachine.bounceRAM + 0x10_0200, len: 512, dir: .toDevice)
        #expect(first.status == .ok && first.warnings.contains(warning))
        let second = machine.map("m2", dev: "ut0", phys: TestMachine.bounceRAM + 0x12_0200, len: 512, dir: .toDevice)
        #expect(second.status == .ok && !second.warnings.contains(warning))
    }
}

/// `swiotlb_tbl_map_single()`'s "swiotlb buffer is full (sz: %zd bytes)" prints `size`,
/// `ALIGN(mapping_size + offset, alloc_align_mask + 1)`, also for a request beyond one
/// segment (256 KiB), which no search can place.
@Suite struct SwiotlbFullSizeTests {
    @Test func oversizeRequestPrintsTheAlignedSize() {
        let machine = TestMachine(devices: [DeviceSpec(name: "ut0", iommu: "mmu0", untrusted: true)])
        machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: TestMachine.bounceRAM)))
        let outcome = machine.map("m1", dev: "ut0", phys: TestMachine.bounceRAM + 0x10_0200, len: 307_201, dir: .toDevice)
        #expect(outcome.status == .mappingError)
        #expect(outcome.warnings == ["ut0: swiotlb buffer is full (sz: 311296 bytes), total 512 (slots), used 0 (slots)"])
    }
}
