import Testing
@testable import DMASim

/// A bounce of memory outside the direct map: `swiotlb_tbl_map_single()` →
/// `swiotlb_bounce()` copies through `phys_to_virt()` and the kernel oopses
/// (the lab runs of 7.3.4, fixtures/scripts/lab/, the `swiotlb=force` oops; docs/kernel-model.md "Followed call by call", untrusted devices).
@Suite struct DirectMapTests {
    static let shared = TestMachine.shared
    static let pool = SwiotlbSpec.defaultBase

    /// `ram` is in the linear map; `shared` and `mmio` are not.
    @Test func onlyRAMIsDirectMapped() {
        #expect(RegionKind.allCases.filter(\.isDirectMapped) == [.ram])
        let machine = TestMachine()
        #expect(machine.engine.isDirectMapped(phys: TestMachine.ram, length: 4096))
        #expect(!machine.engine.isDirectMapped(phys: Self.shared, length: 4096))
        #expect(!machine.engine.isDirectMapped(phys: TestMachine.ram + (3 << 30) - 4096, length: 8192), "runs past the region")
    }

    /// `dma_direct_map_phys()` under `swiotlb=force`, attrs 0: `swiotlb_map()` takes the
    /// slots, then the copy faults. The call never returns: no address, no mapping (a
    /// later unmap through the handle names nothing), and the slots stay taken.
    @Test func forcedBounceOfSharedMemoryOopsAndKeepsItsSlots() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "edu0", iommu: nil, dmaBits: 32)])
        machine.swiotlb(force: true)
        let outcome = machine.map("m1", dev: "edu0", phys: Self.shared, len: 8192, dir: .toDevice)
        #expect(outcome.status == .oops)
        #expect(outcome.address == nil && outcome.ranges.isEmpty)
        #expect(TestMachine.classes(outcome) == [.bounceOutsideDirectMap])
        #expect(outcome.findings[0].message.contains("device edu0 address 0x\(hex(Self.shared)) size 0x2000"))
        #expect(outcome.findings[0].message.contains("swiotlb=force"))
        #expect(outcome.events == [SideEvent(.kernelOops, address: Self.shared, length: 8192)])
        #expect(outcome.warnings.first == "BUG: unable to handle page fault for address: \(hex(0xFFFF_8880_0000_0000 + Self.shared))")
        #expect(outcome.warnings.last == "Call Trace: swiotlb_tbl_map_single <- swiotlb_map <- dma_direct_map_phys <- dma_map_phys")
        #expect(machine.engine.swiotlbPool?.usedSlots == 4, "8 KiB took four 2 KiB slots, never given back")
        if case .rejected = machine.unmap("m1", len: 8192, dir: .toDevice).status {} else {
            Issue.record("the oopsed map left a mapping behind")
        }
    }

    /// The same map of RAM the kernel owns bounces as ever.
    @Test func forcedBounceOfRAMWorks() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "edu0", iommu: nil, dmaBits: 32)])
        machine.swiotlb(force: true)
        let outcome = machine.map("m1", dev: "edu0", phys: TestMachine.ram, len: 8192, dir: .toDevice)
        #expect(outcome.status == .ok && outcome.address == Self.pool)
    }

    /// `iommu_dma_iova_link_swiotlb()`: the middle is linked before the tail is bounced,
    /// so an oops in the tail's copy leaves the middle in the page table (the task died
    /// before the unwind); the state gets no swiotlb bit.
    @Test func anOopsInTheTailLeavesTheMiddleLinked() {
        let machine = TestMachine(devices: [DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true)])
        machine.swiotlb()
        #expect(machine.alloc("s1", dev: "tb0", phys: Self.shared, size: 0x1200).status == .ok)
        let outcome = machine.link("s1", phys: Self.shared, len: 0x1200, dir: .fromDevice)
        #expect(outcome.status == .oops)
        #expect(outcome.findings.map(\.message).allSatisfy { $0.contains("(tail)") && $0.contains("size 0x200") })
        let domain = machine.engine.devices["tb0"]!.domain!
        #expect(domain.iovaToPhys(0xFFFF_E000) == Self.shared, "the middle granule stays linked")
        #expect(domain.iovaToPhys(0xFFFF_F000) == 0, "the tail was never linked")
        #expect(machine.engine.states[0].usesSwiotlb == false)
    }
}
