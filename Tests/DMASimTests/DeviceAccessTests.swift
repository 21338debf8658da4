import Testing
@testable import DMASim

/// Device DMA through the IOTLB and page table, and what it leaves in memory.
@Suite struct DeviceAccessTests {
    static let base = TestMachine.shared

    @Test func deviceWriteLandsAtThePhysicalAddressTheLinkNamed() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", phys: Self.base + 0x40000, len: 8192)
        let write = machine.devWrite(.s("s1", 0x100), len: 0x1000, fill: .seed(3))
        #expect(write.status == .ok)
        #expect(write.touched == [PhysRange(phys: Self.base + 0x40100, length: 0x1000)])
        #expect(machine.cpuRead(Self.base + 0x40100, len: 0x1000).digest == Fill.seed(3).digest(length: 0x1000))
        #expect(machine.devRead(.s("s1", 0x100), len: 0x1000).digest == Fill.seed(3).digest(length: 0x1000))
    }

    /// `direction-violation`: IOMMU_READ only for TO_DEVICE, IOMMU_WRITE only for FROM_DEVICE.
    @Test(arguments: [(DMADirection.toDevice, true), (.fromDevice, false)])
    func accessAgainstTheDirectionIsAPermissionFault(direction: DMADirection, write: Bool) {
        let machine = TestMachine()
        let addr = machine.alloc("s1", size: 4096).address!
        machine.link("s1", len: 4096, dir: direction)
        let outcome = write ? machine.devWrite(.s("s1"), len: 64, fill: .byte(1)) : machine.devRead(.s("s1"), len: 64)
        #expect(outcome.status == .fault(Fault(kind: .permission, address: addr, isWrite: write)))
        #expect(TestMachine.classes(outcome) == [.directionViolation])
    }

    /// Bytes before a fault land: a DMA engine's earlier writes are not undone.
    @Test func writesBeforeAFaultLand() {
        let machine = TestMachine()
        let addr = machine.alloc("s1", size: 8192).address!
        machine.link("s1", len: 4096)
        let outcome = machine.devWrite(.s("s1"), len: 8192, fill: .byte(0xAB))
        #expect(outcome.status == .fault(Fault(kind: .notPresent, address: addr + 4096, isWrite: true)))
        #expect(outcome.touched == [PhysRange(phys: Self.base, length: 4096)])
        #expect(machine.cpuRead(Self.base, len: 4096).digest == Fill.byte(0xAB).digest(length: 4096))
    }

    @Test func directDeviceWithoutAnIOMMUWritesPhysicalMemory() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "old0", iommu: nil, dmaBits: 32)])
        machine.map("m1", dev: "old0", phys: TestMachine.ram, len: 4096, dir: .toDevice)
        let outcome = machine.devWrite("old0", .m("m1"), len: 16, fill: .byte(9))
        #expect(outcome.status == .ok)
        #expect(TestMachine.classes(outcome) == [.directionViolation])
        #expect(machine.devWrite("old0", .absolute(0x10), len: 16, fill: .byte(9)).status.faultKind == .busError)
    }

    @Test func unknownHandlesAndDevicesAreRejected() {
        let machine = TestMachine()
        #expect(machine.devRead(.s("nope"), len: 4).status == .rejected("unknown IOVA state nope"))
        #expect(machine.devRead("ghost", .absolute(0), len: 4).status == .rejected("unknown device ghost"))
        #expect(machine.link("nope", len: 4096).status == .rejected("unknown IOVA state nope (no alloc declared it)"))
    }

    /// `free-with-linked-ranges` consequence: a free without unlink leaves a PTE; if the IOVA is reused after a
    /// flush of the stale PTE is impossible, a cached translation reaches old memory.
    @Test func staleIOTLBEntryAfterFreeAndReuseIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.link("s1", len: 4096)
        machine.devRead(.s("s1"), len: 64)        // cached
        machine.unlink("s1", len: 4096)           // PTE and IOTLB entry gone
        machine.link("s1", phys: Self.base + 0x8000, len: 4096)
        machine.devRead(.s("s1"), len: 64)        // cached again, new phys
        machine.free("s1")                        // no unmap, no flush
        machine.alloc("s2", size: 4096)           // same IOVA from the rcache
        // s2 cannot link over the stale PTE (7.3's map_range(): -EADDRINUSE); the device
        // still reaches the old page.
        #expect(machine.link("s2", phys: Self.base + 0x9000, len: 4096).status == .errno(.EADDRINUSE))
        let access = machine.devWrite(.s("s2"), len: 64, fill: .byte(1))
        #expect(access.touched == [PhysRange(phys: Self.base + 0x8000, length: 64)])
    }
}
