import Testing
@testable import DMASim

/// The allocator follows drivers/iommu/iova.c and dma-iommu.c's `iommu_dma_alloc_iova`:
/// the same calls on a fresh domain must give the kernel's IOVAs.
@Suite struct IOVAAllocatorTests {
    struct FirstIOVACase: CustomTestStringConvertible, Sendable {
        let name: String
        let device: DeviceSpec
        let sizeBytes: UInt64
        let phys: UInt64
        let expected: UInt64
        var testDescription: String { name }
    }

    /// Top-down from the limit, size rounded to a power of two below 32 granules and
    /// naturally aligned (`align_mask = ~0 << fls_long(size - 1)`), offset of phys kept.
    @Test(arguments: [
        FirstIOVACase(name: "PCI 64-bit: tries below 4 GiB first (pci_32bit_workaround)",
                      device: DeviceSpec(name: "d", iommu: "mmu0", dmaBits: 64), sizeBytes: 4096, phys: TestMachine.shared, expected: 0xFFFF_F000),
        FirstIOVACase(name: "3 granules round up to 4 and align to 4",
                      device: DeviceSpec(name: "d", iommu: "mmu0"), sizeBytes: 3 * 4096, phys: TestMachine.shared, expected: 0xFFFF_C000),
        FirstIOVACase(name: "33 granules are not rounded but aligned to 64",
                      device: DeviceSpec(name: "d", iommu: "mmu0"), sizeBytes: 33 * 4096, phys: TestMachine.shared, expected: 0xFFFC_0000),
        FirstIOVACase(name: "the in-granule offset of phys is kept in state->addr",
                      device: DeviceSpec(name: "d", iommu: "mmu0"), sizeBytes: 8192, phys: TestMachine.shared + 0x1234, expected: 0xFFFF_C234),
        FirstIOVACase(name: "platform device: top of the 48-bit aperture",
                      device: DeviceSpec(name: "d", iommu: "mmu0", bus: .platform), sizeBytes: 4096, phys: TestMachine.shared, expected: 0xFFFF_FFFF_F000),
        FirstIOVACase(name: "platform device: the 40-bit DMA mask caps the limit",
                      device: DeviceSpec(name: "d", iommu: "mmu0", dmaBits: 40, bus: .platform), sizeBytes: 4096, phys: TestMachine.shared, expected: 0xFF_FFFF_F000),
    ])
    func firstAllocation(_ example: FirstIOVACase) {
        let machine = TestMachine(devices: [example.device])
        let outcome = machine.alloc("s1", dev: "d", phys: example.phys, size: example.sizeBytes)
        #expect(outcome.status == .ok)
        #expect(outcome.address == example.expected)
    }

    @Test func allocationsGoDownwardsFromTheCachedNode() {
        let machine = TestMachine()
        let addresses = (1...4).map { machine.alloc("s\($0)", size: 4096).address }
        #expect(addresses == [0xFFFF_F000, 0xFFFF_E000, 0xFFFF_D000, 0xFFFF_C000])
    }

    /// `free_iova_fast` pushes onto the loaded magazine; `alloc_iova_fast` pops the top.
    @Test func freedSmallRangesAreReusedLastInFirstOut() {
        let machine = TestMachine()
        machine.alloc("a", size: 4096)
        machine.alloc("b", size: 4096)
        machine.free("a")
        machine.free("b")
        #expect(machine.alloc("c", size: 4096).address == 0xFFFF_E000)
        #expect(machine.alloc("d", size: 4096).address == 0xFFFF_F000)
        #expect(machine.alloc("e", size: 4096).address == 0xFFFF_D000)
    }

    /// The IOVA space starts at pfn 1 (`iommu_dma_init_domain`), so a 16-bit mask gives
    /// exactly 15 one-granule IOVAs and never IOVA 0.
    @Test func iovaZeroIsNeverHandedOut() {
        let machine = TestMachine(devices: [DeviceSpec(name: "d", iommu: "mmu0", dmaBits: 16)])
        let outcomes = (1...16).map { machine.alloc("s\($0)", dev: "d", size: 4096) }
        #expect(outcomes.prefix(15).allSatisfy { $0.status == .ok && $0.address != 0 })
        #expect(outcomes[14].address == 0x1000)
        #expect(outcomes[15].status == .fallback)
    }

    /// When the 32-bit space is exhausted, the workaround turns off for the device with
    /// "Using 48-bit DMA addresses" and the allocation goes to the top of the aperture.
    @Test func pci32BitWorkaroundFallsBackToTheFullMaskOnce() {
        let machine = TestMachine()
        let half: UInt64 = 1 << 31
        #expect(machine.alloc("low", size: half).address == 0x8000_0000)
        let high = machine.alloc("high", size: half)
        #expect(high.address == 0xFFFF_8000_0000)
        #expect(high.events.contains { $0.kind == .dacEnabled && $0.length == 48 })
        #expect(high.warnings.contains("nvme0: Using 48-bit DMA addresses"))
        // Off for good: even a one-page request now comes from the top.
        #expect(machine.alloc("small", size: 4096).address == 0xFFFF_7FFF_F000)
    }

    @Test func forceDACSkipsTheLowAttempt() {
        let machine = TestMachine(iommu: IOMMUSpec(name: "mmu0", forceDAC: true), devices: [DeviceSpec(name: "nvme0", iommu: "mmu0")])
        #expect(machine.alloc("s1", size: 4096).address == 0xFFFF_FFFF_F000)
    }

    /// `double-free`: the rcache has no duplicate detection, so a double free of a small state
    /// makes two later allocations alias one IOVA.
    @Test func doubleFreeMakesTwoAllocationsAlias() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.free("s1")
        #expect(TestMachine.classes(machine.free("s1")) == [.doubleFree])
        let first = machine.alloc("s2", size: 4096).address
        let second = machine.alloc("s3", size: 4096).address
        #expect(first == 0xFFFF_F000)
        #expect(first == second)
    }

    @Test func reservedRangesAreSkipped() {
        let iommu = IOMMUSpec(name: "mmu0", reservedRanges: [0xFFFF_E000...0xFFFF_EFFF])
        let machine = TestMachine(iommu: iommu, devices: [DeviceSpec(name: "nvme0", iommu: "mmu0")])
        #expect(machine.alloc("a", size: 4096).address == 0xFFFF_F000)
        #expect(machine.alloc("b", size: 4096).address == 0xFFFF_D000)
    }

    @Test func granule64KScalesEverything() {
        let iommu = IOMMUSpec(name: "mmu0", granuleBytes: 65536)
        let machine = TestMachine(iommu: iommu, devices: [DeviceSpec(name: "nvme0", iommu: "mmu0")])
        #expect(machine.alloc("a", phys: TestMachine.shared + 0x1000, size: 4096).address == 0xFFFF_1000)
    }

    /// Failure of the tree walk flushes every rcache and retries once (`alloc_iova_fast`).
    @Test func exhaustionFlushesTheRangeCachesAndRetries() {
        let machine = TestMachine(devices: [DeviceSpec(name: "d", iommu: "mmu0", dmaBits: 16)])
        for index in 1...15 { machine.alloc("s\(index)", dev: "d", size: 4096) }
        machine.free("s1")  // cached in the rcache, still a tree node
        // A 2-granule request cannot use the cached 1-granule pfn; the tree is full until
        // the flush returns pfn 0xF, whose 2-aligned pair 0xE..0xF is still half taken.
        #expect(machine.alloc("big", dev: "d", size: 8192).status == .fallback)
        // The flush emptied the rcache, so pfn 0xF now comes from the tree again.
        #expect(machine.alloc("again", dev: "d", size: 4096).address == 0xF000)
    }
}
