@testable import DMASim
import Testing

/// `debug_dma_map_phys()` (kernel/dma/debug.c, 7.1+: af0c3f058662): `DMA_ATTR_MMIO` on a page that is
/// `pfn_valid()` and not `PageReserved()` is "dma_map_resource called for RAM address".
@Suite struct MMIOOnRAMTests {
    /// RAM is reported from 7.1, and the map still succeeds as MMIO (`IOMMU_MMIO`).
    @Test(arguments: [(KernelVersion.v7_3, true), (.v7_2, true), (.v7_1, true), (.v7_0, false)])
    func ramMappedAsMMIO(_ version: KernelVersion, reported: Bool) {
        let machine = TestMachine(machine: MachineSpec(kernel: version))
        let outcome = machine.mapAttrs("m1", phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .mmio)
        #expect(outcome.status == .ok)
        #expect(outcome.reports(.mmioMapOfRAM) == reported)
        #expect(outcome.ranges.first?.prot.contains(.mmio) == true)
        if reported {
            #expect(outcome.findings.first?.message == "dma_map_resource called for RAM address 0x0000000010000000")
        }
    }

    /// Memory with no `struct page` (`pfn_valid()` 0) and the swiotlb pool (memblock
    /// reserved) are not reported; neither is RAM mapped without the attribute.
    @Test func onlyUnreservedRAMUnderMMIO() {
        let machine = TestMachine()
        machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: TestMachine.bounceRAM)))
        #expect(!machine.mapAttrs("m1", phys: TestMachine.shared, len: 4096, dir: .toDevice, attrs: .mmio).reports(.mmioMapOfRAM))
        #expect(!machine.mapAttrs("m2", phys: TestMachine.bounceRAM, len: 4096, dir: .toDevice, attrs: .mmio).reports(.mmioMapOfRAM))
        #expect(!machine.map("m3", phys: TestMachine.ram, len: 4096, dir: .toDevice).reports(.mmioMapOfRAM))
    }
}
