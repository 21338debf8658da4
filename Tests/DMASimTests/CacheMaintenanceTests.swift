import Testing
@testable import DMASim

/// The engine's cache maintenance: one path applies `arch_sync_dma_for_{device,cpu}()`
/// (arch/arm64/mm/dma-mapping.c) to the cache model and reports it; coherent-only
/// machines have no model at all.
@Suite struct CacheMaintenanceTests {
    static let ram = TestMachine.ram

    static func machine() -> TestMachine {
        TestMachine(iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, coherent: false),
                                          DeviceSpec(name: "dev0", iommu: nil)])
    }

    @Test func coherentOnlyMachinesHaveNoCacheModel() {
        #expect(TestMachine().engine.cache == nil)
        #expect(Self.machine().engine.cache != nil)
    }

    /// arm64 `arch_sync_dma_for_cpu()` returns at once for DMA_TO_DEVICE: a TO_DEVICE
    /// unmap reports no invalidate; a FROM_DEVICE one does.
    @Test func toDeviceUnmapSkipsTheInvalidate() {
        let machine = Self.machine()
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 4096, dir: .toDevice)
        machine.checkError("m1")
        #expect(machine.unmap("m1", len: 4096, dir: .toDevice).events.isEmpty)
        machine.map("m2", dev: "dsp0", phys: Self.ram, len: 4096, dir: .fromDevice)
        machine.checkError("m2")
        #expect(machine.unmap("m2", len: 4096, dir: .fromDevice).events == [SideEvent(.cacheInvalidate, address: Self.ram, length: 4096)])
    }

    /// A CPU store is invisible to a non-coherent device until the clean, and visible
    /// at once to a coherent one, which snoops.
    @Test func coherentDevicesSnoopNonCoherentOnesNeedTheClean() {
        let machine = Self.machine()
        machine.cpuWrite(Self.ram, len: 4096, fill: .seed(1))
        let expected = Fill.seed(1).digest(length: 4096)
        machine.mapAttrs("m1", dev: "dsp0", phys: Self.ram, len: 4096, dir: .toDevice, attrs: .skipCPUSync)
        machine.map("m2", dev: "dev0", phys: Self.ram, len: 4096, dir: .toDevice)
        #expect(machine.devRead("dsp0", .m("m1"), len: 4096).digest == Fill.zero.digest(length: 4096))
        #expect(machine.devRead("dev0", .m("m2"), len: 4096).digest == expected)
        #expect(machine.syncForDevice("m1", len: 4096, dir: .toDevice).events == [SideEvent(.cacheClean, address: Self.ram, length: 4096)])
        #expect(machine.devRead("dsp0", .m("m1"), len: 4096).digest == expected)
    }

    /// The slow unlink path of a non-coherent device invalidates per granule; with
    /// skip-cpu-sync it does not run, and the CPU keeps stale lines.
    @Test func unlinkInvalidatesUnlessSkipped() {
        let machine = TestMachine(devices: [DeviceSpec(name: "gpu0", iommu: "mmu0", coherent: false)])
        machine.cpuRead(TestMachine.shared, len: 8192)              // lines held, clean
        machine.alloc("s1", dev: "gpu0", phys: TestMachine.shared, size: 8192)
        machine.link("s1", phys: TestMachine.shared, len: 8192, dir: .fromDevice)
        machine.devWrite("gpu0", .s("s1"), len: 8192, fill: .seed(3))
        let skipped = machine.unlink("s1", len: 4096, dir: .fromDevice, attrs: .skipCPUSync)
        #expect(!skipped.events.contains { $0.kind == .cacheInvalidate })
        #expect(machine.cpuRead(TestMachine.shared, len: 4096).digest == Fill.zero.digest(length: 4096))
        let unlinked = machine.unlink("s1", off: 4096, len: 4096, dir: .fromDevice)
        #expect(unlinked.events.first == SideEvent(.cacheInvalidate, address: TestMachine.shared + 4096, length: 4096))
        #expect(machine.cpuRead(TestMachine.shared + 4096, len: 8).status == .ok)
    }
}
