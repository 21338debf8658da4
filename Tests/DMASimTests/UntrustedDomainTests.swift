import Testing
@testable import DMASim

/// `iommu_get_default_domain_type()`: a group with an untrusted PCI device gets
/// `IOMMU_DOMAIN_DMA` (translated, strict) whatever the IOMMU's default type.
@Suite struct UntrustedDomainTests {
    static func machine(_ mode: IOMMUMode, _ devices: [DeviceSpec]) -> TestMachine {
        TestMachine(iommu: IOMMUSpec(name: "mmu0", mode: mode), devices: devices)
    }

    @Test(arguments: [IOMMUMode.lazy, .passthrough, .strict])
    func anUntrustedDeviceGetsAStrictDMADomain(_ mode: IOMMUMode) {
        let machine = Self.machine(mode, [DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true)])
        let domain = machine.engine.devices["tb0"]!.domain
        #expect(domain?.mode == .strict)
        #expect(domain?.usesFlushQueue == false)
    }

    /// `dev_is_untrusted()` needs a PCI device: the flag on a platform device changes nothing.
    @Test func onlyPCIDevicesAreUntrusted() {
        let machine = Self.machine(.passthrough, [DeviceSpec(name: "plat0", iommu: "mmu0", untrusted: true, bus: .platform)])
        #expect(machine.engine.devices["plat0"]!.domain == nil)
    }

    /// The whole group shares the strict domain: a trusted device joining after the
    /// untrusted one is strict too; an untrusted one cannot join a group a trusted device
    /// already set up lazy or identity.
    @Test func theGroupFollowsItsUntrustedDevice() {
        let first = Self.machine(.lazy, [DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true, group: "g"),
                                         DeviceSpec(name: "nic0", iommu: "mmu0", group: "g")])
        #expect(first.engine.devices["nic0"]!.domain === first.engine.devices["tb0"]!.domain)
        for mode in [IOMMUMode.lazy, .passthrough] {
            let late = Self.machine(mode, [DeviceSpec(name: "nic0", iommu: "mmu0", group: "g")])
            let outcome = late.run(.device(DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true, group: "g")))
            guard case .rejected(let reason) = outcome.status else {
                Issue.record("\(mode): the untrusted device joined a \(mode) group")
                continue
            }
            #expect(reason.contains("declare the untrusted device first"))
        }
    }

    /// The domain's type survives a checkpoint.
    @Test func theDomainTypeIsPartOfTheState() throws {
        let machine = Self.machine(.lazy, [DeviceSpec(name: "tb0", iommu: "mmu0", untrusted: true)])
        let restored = try Engine.decodingState(machine.engine.encodeState())
        #expect(restored.devices["tb0"]!.domain?.mode == .strict)
    }

    /// `untrusted-at-probe`: the flag came after `iommu_probe_device()` chose the group's
    /// domain (the lab's edu_iova sets it in probe), so the domain keeps the IOMMU's mode:
    /// DMA-FQ on a lazy IOMMU (measured: domain_type=0xb, sysfs type=DMA-FQ), identity on a
    /// passthrough one; dma-iommu still bounces the device's unaligned ranges
    /// (`dev_use_swiotlb()` reads the flag at each map).
    @Test func untrustedAtProbeKeepsTheIOMMUsMode() throws {
        let lazy = Self.machine(.lazy, [DeviceSpec(name: "edu0", iommu: "mmu0", untrustedAtProbe: true)])
        let domain = lazy.engine.devices["edu0"]!.domain
        #expect(domain?.mode == .lazy)
        #expect(domain?.usesFlushQueue == true)
        #expect(lazy.engine.devices["edu0"]!.spec.isUntrusted)
        let passthrough = Self.machine(.passthrough, [DeviceSpec(name: "edu0", iommu: "mmu0", untrustedAtProbe: true)])
        #expect(passthrough.engine.devices["edu0"]!.domain == nil)
        // It may join a group a trusted device set up lazy: nothing re-chooses the domain.
        let late = Self.machine(.lazy, [DeviceSpec(name: "nic0", iommu: "mmu0", group: "g")])
        #expect(late.run(.device(DeviceSpec(name: "edu0", iommu: "mmu0", group: "g", untrustedAtProbe: true))).status == .ok)
        // The flag survives a checkpoint (state format 9).
        let restored = try Engine.decodingState(lazy.engine.encodeState())
        #expect(restored.devices["edu0"]!.spec.untrustedAtProbe)
        #expect(restored.devices["edu0"]!.domain?.mode == .lazy)
    }
}
