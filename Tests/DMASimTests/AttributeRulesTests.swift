import Testing
@testable import DMASim

/// `DMA_ATTR_MMIO` (6.18) and `DMA_ATTR_REQUIRE_COHERENT` (7.0) on every path:
/// `dma_info_to_prot()`, `__dma_iova_link()`, `dma_iova_link()`, `dma_map_phys()`,
/// `dma_direct_map_phys()`, `iommu_dma_map_phys()` and their unmaps.
@Suite struct AttributeRulesTests {
    static let ram = TestMachine.bounceRAM
    static let bar: UInt64 = 0x3_0000_0000

    static func machine(untrusted: Bool = false, coherent: Bool = true) -> TestMachine {
        let machine = TestMachine(devices: [
            DeviceSpec(name: "dev0", iommu: "mmu0", coherent: coherent, untrusted: untrusted, minAlignMask: 0xFFF),
            DeviceSpec(name: "old0", iommu: nil, dmaBits: 32, coherent: coherent),
        ])
        machine.run(.region(RegionSpec(name: "bar0", base: bar, sizeBytes: 1 << 20, kind: .mmio)))
        return machine
    }

    /// `dma_info_to_prot()`: `IOMMU_MMIO` instead of `IOMMU_CACHE`; `__dma_iova_link()`
    /// does no `arch_sync_dma_for_device()` for MMIO even on a non-coherent device.
    @Test func mmioLinksGetIOMMUMMIOAndNoCacheMaintenance() {
        let machine = Self.machine(coherent: false)
        machine.alloc("s1", dev: "dev0", phys: Self.bar, size: 8192)
        let linked = machine.link("s1", phys: Self.bar, len: 8192, dir: .toDevice, attrs: .mmio)
        #expect(linked.ranges.map(\.prot) == [[.mmio, .read]])
        #expect(!linked.events.contains { $0.kind == .cacheClean })
        let unlinked = machine.unlink("s1", len: 8192, dir: .toDevice, attrs: .mmio)
        #expect(!unlinked.events.contains { $0.kind == .cacheInvalidate })
    }

    /// `dma_direct_map_phys()`: `is_swiotlb_force_bounce()` with MMIO or REQUIRE_COHERENT
    /// is `DMA_MAPPING_ERROR` and no WARN (measured: no bounce, nothing printed).
    @Test(arguments: [DMAAttributes.mmio, .requireCoherent])
    func forcedBounceIsRefusedSilently(_ attributes: DMAAttributes) {
        let machine = Self.machine()
        machine.swiotlb(force: true)
        let outcome = machine.mapAttrs("m1", dev: "old0", phys: TestMachine.ram, len: 8192, dir: .toDevice, attrs: attributes)
        #expect(outcome.status == .mappingError)
        #expect(outcome.warnings.isEmpty && outcome.events.isEmpty)
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// Beyond the mask: MMIO and REQUIRE_COHERENT go to `err_overflow` even with a pool.
    @Test(arguments: [DMAAttributes.mmio, .requireCoherent])
    func beyondTheMaskIsAnOverflowEvenWithAPool(_ attributes: DMAAttributes) {
        let machine = Self.machine()
        machine.swiotlb()
        let outcome = machine.mapAttrs("m1", dev: "old0", phys: TestMachine.shared, len: 4096, dir: .toDevice, attrs: attributes)
        #expect(outcome.status == .mappingError)
        #expect(outcome.warnings == ["old0: DMA addr 0x\(hex(TestMachine.shared))+4096 overflow (mask ffffffff, bus limit 0)."])
    }

    /// `dma_iova_link()`: `dev_use_swiotlb() && iova_unaligned()` with MMIO or
    /// REQUIRE_COHERENT is -EPERM, before anything is bounced or mapped.
    @Test(arguments: [DMAAttributes.mmio, .requireCoherent])
    func unalignedUntrustedLinkIsEPERM(_ attributes: DMAAttributes) {
        let machine = Self.machine(untrusted: true)
        machine.swiotlb()
        machine.alloc("s1", dev: "dev0", phys: Self.ram + 0x200, size: 4096)
        let outcome = machine.link("s1", phys: Self.ram + 0x200, len: 4096, dir: .toDevice, attrs: attributes)
        #expect(outcome.status == .errno(.EPERM))
        #expect(outcome.ranges.isEmpty && outcome.events.isEmpty)
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// `iommu_dma_map_phys()`: MMIO skips the bounce test and maps the pages in place;
    /// REQUIRE_COHERENT fails where it would bounce.
    @Test func unalignedUntrustedStreamingMaps() {
        let machine = Self.machine(untrusted: true)
        machine.swiotlb()
        let mmio = machine.mapAttrs("m1", dev: "dev0", phys: Self.bar + 0x200, len: 4096, dir: .fromDevice, attrs: .mmio)
        #expect(mmio.status == .ok && mmio.address == 0xFFFF_E200)
        #expect(mmio.ranges == [MappedRange(iova: 0xFFFF_E000, phys: Self.bar, length: 8192, prot: [.mmio, .write], bounced: false)])
        let coherent = machine.mapAttrs("m2", dev: "dev0", phys: Self.ram + 0x200, len: 4096, dir: .fromDevice,
                                        attrs: .requireCoherent)
        #expect(coherent.status == .mappingError && machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// `iommu_dma_unmap_phys()` with MMIO: straight to `__iommu_dma_unmap()`, no
    /// `iova_to_phys`, no sync, no swiotlb.
    @Test func mmioUnmapOnlyUnmaps() {
        let machine = Self.machine(coherent: false)
        machine.mapAttrs("m1", dev: "dev0", phys: Self.bar, len: 4096, dir: .fromDevice, attrs: .mmio)
        machine.checkError("m1")
        let outcome = machine.unmap("m1", len: 4096, dir: .fromDevice, attrs: .mmio)
        #expect(outcome.events.map(\.kind) == [.iotlbInvalidate, .iovaFreed])
    }

    /// `dma_map_phys()` refuses REQUIRE_COHERENT on a non-coherent device before any
    /// dispatch; `dma_iova_link()` returns -EOPNOTSUPP.
    @Test func nonCoherentDevicesRefuseRequireCoherent() {
        let machine = Self.machine(coherent: false)
        let mapped = machine.mapAttrs("m1", dev: "dev0", phys: Self.ram, len: 4096, dir: .toDevice, attrs: .requireCoherent)
        #expect(mapped.status == .mappingError && mapped.ranges.isEmpty)
        machine.alloc("s1", dev: "dev0", phys: Self.ram, size: 4096)
        #expect(machine.link("s1", phys: Self.ram, len: 4096, dir: .toDevice, attrs: .requireCoherent).status == .errno(.EOPNOTSUPP))
    }

    /// `dma_iova_link()`: a state with `DMA_IOVA_USE_SWIOTLB` set WARNs on a later
    /// REQUIRE_COHERENT link and returns -EOPNOTSUPP.
    @Test func requireCoherentAfterABounceWarns() {
        let machine = Self.machine(untrusted: true)
        machine.swiotlb()
        machine.alloc("s1", dev: "dev0", phys: Self.ram + 0x200, size: 12288)
        #expect(machine.link("s1", phys: Self.ram + 0x200, len: 0xE00).status == .ok)
        let outcome = machine.link("s1", off: 0xE00, phys: Self.ram + 0x10000, len: 4096, attrs: .requireCoherent)
        #expect(outcome.status == .errno(.EOPNOTSUPP))
        #expect(outcome.warnings.count == 1 && outcome.warnings[0].hasPrefix("WARN_ON_ONCE((state->__size & DMA_IOVA_USE_SWIOTLB)"))
    }
}
