import Testing
@testable import DMASim

/// The streaming fallback (`dma_map_phys`, docs/kernel-model.md "Followed call by call") and dma-debug's unmap checks (docs/checker.md "Notes on the streaming checks").
@Suite struct StreamingAPITests {
    static let ram = TestMachine.ram

    /// `iommu_map` is nosync plus sync_map: a streaming mapping is visible at once even on
    /// a needs-sync-map IOMMU, and the DMA address keeps the offset of phys.
    @Test func iommuMapIsVisibleAtOnceAndKeepsTheOffset() {
        let machine = TestMachine(mode: .strict, needsSyncMap: true)
        let outcome = machine.map("m1", phys: Self.ram + 0x80, len: 256)
        #expect(outcome.address == 0xFFFF_F080)
        #expect(outcome.events == [SideEvent(.iotlbSyncMap, address: 0xFFFF_F000, length: 4096)])
        #expect(machine.devRead(.m("m1"), len: 256).status == .ok)
    }

    /// dma-direct: the bus address is the physical address; beyond the mask with no
    /// swiotlb the map fails with `DMA_MAPPING_ERROR` and the "overflow" dev_WARN.
    @Test func directMapChecksTheDMAMask() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "old0", iommu: nil, dmaBits: 32)])
        let low = machine.map("m1", dev: "old0", phys: Self.ram, len: 8192)
        #expect(low.address == Self.ram)
        let high = machine.map("m2", dev: "old0", phys: TestMachine.shared, len: 4096)
        #expect(high.status == .mappingError)
        #expect(high.address == UInt64.max)
        #expect(high.warnings.first?.contains("overflow (mask ffffffff") == true)
        #expect(machine.run(.mappingError(MappingErrorOp(mapping: "m2"))).status == .errno(.ENOMEM))
    }

    struct UnmapCase: CustomTestStringConvertible, Sendable {
        let name: String
        let checkError: Bool
        let unmapLength: UInt64
        let unmapDirection: DMADirection
        let expected: [MisuseClass]
        var testDescription: String { name }
    }

    /// dma-debug `check_unmap()` classes 3, 7 and 8, and the near miss that reports nothing.
    @Test(arguments: [
        UnmapCase(name: "clean unmap", checkError: true, unmapLength: 4096, unmapDirection: .toDevice, expected: []),
        UnmapCase(name: "map error never checked", checkError: false, unmapLength: 4096, unmapDirection: .toDevice, expected: [.mapErrorUnchecked]),
        UnmapCase(name: "different size", checkError: true, unmapLength: 2048, unmapDirection: .toDevice, expected: [.unmapSizeMismatch]),
        UnmapCase(name: "different direction", checkError: true, unmapLength: 4096, unmapDirection: .fromDevice, expected: [.unmapDirectionMismatch]),
    ])
    func unmapChecks(_ example: UnmapCase) {
        let machine = TestMachine()
        machine.map("m1", phys: Self.ram, len: 4096, dir: .toDevice)
        if example.checkError { machine.run(.mappingError(MappingErrorOp(mapping: "m1"))) }
        let outcome = machine.unmap("m1", len: example.unmapLength, dir: example.unmapDirection)
        #expect(TestMachine.classes(outcome) == example.expected)
    }

    @Test func doubleUnmapAndUnmapOfAnErrorAreFlagged() {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "old0", iommu: nil, dmaBits: 32)])
        machine.map("m1", dev: "old0", phys: Self.ram, len: 4096)
        machine.run(.mappingError(MappingErrorOp(mapping: "m1")))
        machine.unmap("m1", len: 4096)
        #expect(TestMachine.classes(machine.unmap("m1", len: 4096)) == [.unmapNotMapped])
        machine.map("m2", dev: "old0", phys: TestMachine.shared, len: 4096)
        #expect(TestMachine.classes(machine.unmap("m2", len: 4096)) == [.unmapOfMappingError])
    }

    /// Strict unmap invalidates and frees; a late device access faults and names the mapping.
    @Test func useAfterUnmapFaults() {
        let machine = TestMachine()
        machine.map("m1", phys: Self.ram, len: 4096)
        machine.devRead(.m("m1"), len: 4096)
        machine.unmap("m1", len: 4096)
        let late = machine.devRead(.m("m1"), len: 4096)
        #expect(late.status.faultKind == .notPresent)
        #expect(TestMachine.classes(late) == [.useAfterUnmap])
    }

    /// `BUG_ON(!valid_dma_direction(dir))` (kernel/dma/mapping.c): `dma_map_phys()` and
    /// `dma_unmap_phys()` oops on `DMA_NONE` and change nothing; the map leaves no mapping,
    /// the unmap leaves its mapping mapped.
    @Test func dmaNoneIsABug() {
        let machine = TestMachine()
        let map = machine.map("m1", phys: Self.ram, len: 4096, dir: .none)
        #expect(map.status == .oops && TestMachine.classes(map) == [.invalidDirection])
        #expect(map.warnings.first == "kernel BUG at kernel/dma/mapping.c!" && map.warnings.last == "Call Trace: dma_map_phys")
        if case .rejected = machine.unmap("m1", len: 4096).status {} else { Issue.record("the BUGged map left a mapping") }
        #expect(machine.map("m2", phys: Self.ram, len: 4096, dir: .toDevice).address == 0xFFFF_F000)
        let unmap = machine.unmap("m2", len: 4096, dir: .none)
        #expect(unmap.status == .oops && TestMachine.classes(unmap) == [.invalidDirection])
        #expect(machine.devRead(.m("m2"), len: 4096).status == .ok)
        #expect(machine.unmap("m2", len: 4096, dir: .toDevice).status == .ok)
    }

    /// `dma_sync_single_for_cpu()` reaches `__dma_sync_single_for_cpu()`'s `BUG_ON` only
    /// when `dma_dev_need_sync()`: with dma-debug built in, or for a device that does not
    /// skip syncs; a coherent device without dma-debug returns in the inline wrapper.
    @Test(arguments: [(true, true), (false, false)])
    func dmaNoneSyncBugsWhenTheSyncIsMade(_ dmaDebug: Bool, _ bugs: Bool) {
        let machine = TestMachine(machine: MachineSpec(dmaDebug: dmaDebug))
        machine.map("m1", phys: Self.ram, len: 4096, dir: .toDevice)
        let sync = machine.syncForCPU("m1", len: 4096, dir: .none)
        #expect((sync.status == .oops) == bugs)
        #expect(sync.findings.isEmpty == !bugs)
    }
}
