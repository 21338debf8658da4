import Testing
@testable import DMASim

/// Buffer ownership (dma-api.rst Part Id, docs/kernel-model.md "The CPU cache" and `cpu-access-device-owned`/16): the checker's
/// `OwnershipMap`, its `ByteRangeSet` of parts handed back, and what the engine reports.
@Suite struct OwnershipTests {
    static let ram = TestMachine.ram
    static let shared = TestMachine.shared

    @Test func byteRangeSetMergesAndSplits() {
        var set = ByteRangeSet()
        set.insert(10..<20)
        set.insert(20..<30)
        set.insert(40..<50)
        #expect(set.ranges == [10..<30, 40..<50])
        set.remove(15..<45)
        #expect(set.ranges == [10..<15, 45..<50])
        #expect(set.covers(11..<15) && !set.covers(11..<16))
    }

    @Test func mapIndexesByPageAndForgetsOnRemove() {
        var map = OwnershipMap()
        let first = map.add(.init(owner: .mapping(0), first: 0x1F00, end: 0x3100, direction: .toDevice, bounced: false))
        let second = map.add(.init(owner: .mapping(1), first: 0x3000, end: 0x3010, direction: .toDevice, bounced: false))
        #expect(map.overlapping(0x3000, 0x3001) == [first, second])
        #expect(map.overlapping(0x3100, 0x3200).isEmpty)
        map.remove(first)
        #expect(map.overlapping(0x2000, 0x4000) == [second])
        map.remove(second)
        #expect(map.isEmpty)
    }

    /// A partial `sync_for_cpu` hands back only its range; `sync_for_device` takes it back.
    @Test func partialSyncHandsBackOnlyItsRange() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, coherent: false)])
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 4096, dir: .fromDevice)
        machine.syncForCPU("m1", len: 64, dir: .fromDevice)
        #expect(TestMachine.classes(machine.cpuRead(Self.ram, len: 64)).isEmpty)
        #expect(TestMachine.classes(machine.cpuRead(Self.ram, len: 128)) == [.cpuAccessDeviceOwned])
        machine.syncForDevice("m1", len: 64, dir: .fromDevice)
        #expect(TestMachine.classes(machine.cpuRead(Self.ram, len: 64)) == [.cpuAccessDeviceOwned])
    }

    /// Two-step links: tracked for a non-coherent device until unlink, not for a
    /// coherent, unbounced one (HMM shares such memory by design).
    @Test func twoStepLinksAreTrackedWhereSyncsAreNeeded() {
        let machine = TestMachine(devices: [DeviceSpec(name: "gpu0", iommu: "mmu0", coherent: false),
                                            DeviceSpec(name: "nvme0", iommu: "mmu0")])
        machine.alloc("s1", dev: "gpu0", phys: Self.shared, size: 8192)
        machine.link("s1", phys: Self.shared, len: 8192)
        machine.unlink("s1", len: 4096)
        #expect(TestMachine.classes(machine.cpuWrite(Self.shared, len: 8, fill: .zero)).isEmpty)
        #expect(TestMachine.classes(machine.cpuWrite(Self.shared + 4096, len: 8, fill: .zero)) == [.cpuAccessDeviceOwned])
        machine.alloc("s2", phys: Self.shared + 0x10000, size: 4096)
        machine.link("s2", phys: Self.shared + 0x10000, len: 4096)
        #expect(TestMachine.classes(machine.cpuWrite(Self.shared + 0x10000, len: 8, fill: .zero)).isEmpty)
    }

    /// `cpu-read-before-bounce-back`: the bounced head of an untrusted device's link is its own class.
    @Test func readingABouncedHeadBeforeUnlinkIsReported() {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true, minAlignMask: 0xFFF)])
        machine.swiotlb()
        let buffer = TestMachine.bounceRAM + 0x100   // bounced, so RAM the kernel maps
        machine.alloc("s1", phys: buffer, size: 0x200)
        machine.link("s1", phys: buffer, len: 0x200, dir: .fromDevice)
        #expect(TestMachine.classes(machine.cpuRead(buffer, len: 16)) == [.cpuReadBeforeBounceBack])
        #expect(TestMachine.classes(machine.cpuWrite(buffer, len: 16, fill: .zero)) == [.cpuAccessDeviceOwned])
        machine.destroy("s1", mapped: 0x200, dir: .fromDevice)
        #expect(TestMachine.classes(machine.cpuRead(buffer, len: 16)).isEmpty)
    }
}
