import Testing
@testable import DMASim

/// Where the pool lives, and the streaming API's bounces: `iommu_dma_map_phys()` →
/// `iommu_dma_map_swiotlb()`, dma-direct's `swiotlb_map()` (docs/kernel-model.md "Followed call by call").
@Suite struct StreamingBounceTests {
    /// Bounced buffers are RAM the kernel maps (a bounce of shared memory oopses).
    static let buffers = TestMachine.bounceRAM
    static let pool = SwiotlbSpec.defaultBase

    struct PlacementCase: CustomTestStringConvertible, Sendable {
        let name: String
        let base: UInt64
        let size: UInt64
        let accepted: Bool
        var testDescription: String { name }
    }

    /// Inside RAM the pool is carved out of it; in no region it gets a region of its
    /// own; half in a region, or in shared memory, it is refused; sizes are whole
    /// IO_TLB_SEGSIZE segments.
    @Test(arguments: [
        PlacementCase(name: "inside ram", base: TestMachine.ram + (1 << 20), size: 1 << 20, accepted: true),
        PlacementCase(name: "in no region", base: SwiotlbSpec.defaultBase, size: 1 << 20, accepted: true),
        PlacementCase(name: "half in ram", base: TestMachine.ram - (1 << 18), size: 1 << 20, accepted: false),
        PlacementCase(name: "in shared memory", base: TestMachine.shared, size: 1 << 20, accepted: false),
        PlacementCase(name: "not whole segments", base: SwiotlbSpec.defaultBase, size: 64 * 1024, accepted: false),
    ])
    func poolPlacement(_ example: PlacementCase) {
        let machine = TestMachine()
        let outcome = machine.swiotlb(size: example.size, base: example.base)
        #expect((outcome.status == .ok) == example.accepted)
        if example.name == "in no region" {
            #expect(machine.engine.memory.regions.contains { $0.name == "swiotlb" && $0.kind == .ram })
        }
    }

    /// An untrusted device's unaligned buffer is bounced whole; the DMA address is the
    /// IOVA plus the slot's offset, the device touches the slot, and unmap copies back.
    /// The slot repeats the buffer's in-page offset only under the device's
    /// `min_align_mask` (`swiotlb_align_offset()`): without one (the default) the DMA
    /// address loses it (the lab runs of 7.3.4, fixtures/scripts/lab/: 0xfffb000, not …200).
    @Test(arguments: [UInt64(0), 0xFFF])
    func iommuPathBouncesTheWholeBuffer(_ minAlignMask: UInt64) {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true, minAlignMask: minAlignMask)])
        machine.swiotlb()
        let slot = Self.pool + (minAlignMask == 0 ? 0 : 0x100)
        let mapped = machine.map("m1", phys: Self.buffers + 0x10100, len: 0x200, dir: .fromDevice)
        #expect(mapped.address == (minAlignMask == 0 ? 0xFFFF_F000 : 0xFFFF_F100))
        #expect(mapped.ranges.map(\.bounced) == [true])
        #expect(mapped.events.first == SideEvent(.bounceToDevice, address: Self.buffers + 0x10100, length: 0x200, target: slot))
        #expect(machine.devWrite(.m("m1"), len: 0x200, fill: .seed(2)).touched == [PhysRange(phys: slot, length: 0x200)])
        #expect(machine.cpuRead(Self.buffers + 0x10100, len: 0x200).digest != Fill.seed(2).digest(length: 0x200),
                "FROM_DEVICE data reaches the buffer only at unmap")
        machine.checkError("m1")
        let unmapped = machine.unmap("m1", len: 0x200, dir: .fromDevice)
        #expect(unmapped.events.contains(SideEvent(.bounceToCPU, address: slot, length: 0x200, target: Self.buffers + 0x10100)))
        #expect(machine.cpuRead(Self.buffers + 0x10100, len: 0x200).digest == Fill.seed(2).digest(length: 0x200))
    }

    /// An aligned buffer of the same device needs no bounce (`iova_offset(phys | size)` is 0).
    @Test func alignedBuffersAreNotBounced() {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true)])
        machine.swiotlb()
        #expect(machine.map("m1", phys: Self.buffers, len: 8192).ranges.map(\.bounced) == [false])
    }

    /// `swiotlb=force`: dma-direct bounces even what the device can reach.
    @Test func forcedSwiotlbBouncesEverything() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "dev0", iommu: nil)])
        machine.swiotlb(force: true)
        #expect(machine.map("m1", dev: "dev0", phys: TestMachine.ram, len: 4096).address == Self.pool)
    }

    /// `swiotlb_map()`: a slot the device cannot reach is released without a copy back
    /// and the map fails with "swiotlb addr … overflow".
    @Test func unreachableSlotFailsTheMap() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "tiny0", iommu: nil, dmaBits: 24)])
        machine.swiotlb()
        let outcome = machine.map("m1", dev: "tiny0", phys: TestMachine.ram, len: 4096)
        #expect(outcome.status == .mappingError)
        #expect(outcome.warnings == ["tiny0: swiotlb addr 0x1000000+4096 overflow (mask ffffff, bus limit 0)."])
        #expect(!outcome.events.contains { $0.kind == .bounceToCPU })
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// A non-coherent device's bounce: the copy lands in the CPU cache, and
    /// `swiotlb_map()` cleans the slot — so the device reads the data.
    @Test func nonCoherentBounceIsCleanedAtTheSlot() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, dmaBits: 28, coherent: false)])
        machine.swiotlb()
        machine.cpuWrite(Self.buffers, len: 4096, fill: .seed(1))   // beyond the 28-bit mask
        let mapped = machine.map("m1", dev: "dsp0", phys: Self.buffers, len: 4096, dir: .toDevice)
        #expect(mapped.events.map(\.kind) == [.bounceToDevice, .cacheClean])
        #expect(mapped.events.last?.address == Self.pool)
        #expect(machine.devRead("dsp0", .m("m1"), len: 4096).digest == Fill.seed(1).digest(length: 4096))
    }
}
