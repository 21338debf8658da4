import Testing
@testable import DMASim

/// `dma_need_unmap(dev)` (kernel/dma/mapping.c): false for a dma-direct device whose
/// `dma_skip_sync` is set (coherent, no swiotlb bounce yet) when the kernel is built without
/// dma-debug (`IS_ENABLED(CONFIG_DMA_API_DEBUG)`). NVMe then never unmaps the PRP
/// segments of a multi-segment request (drivers/nvme/host/pci.c
/// `nvme_pci_prp_save_mapping()`, block/blk-mq-dma.c): legitimate, so no finding — neither
/// a leak at unbind nor the overlap of a buffer mapped again.
@Suite struct NeedUnmapTests {
    static let ram = TestMachine.ram

    static func machine(dmaDebug: Bool, coherent: Bool = true, swiotlb: Bool = false) -> TestMachine {
        let machine = TestMachine(machine: MachineSpec(dmaDebug: dmaDebug), iommu: nil, devices: [])
        if swiotlb { #expect(machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: ram + 0x1000_0000, force: true))).status == .ok) }
        #expect(machine.run(.device(DeviceSpec(name: "nvme0", iommu: nil, coherent: coherent))).status == .ok)
        return machine
    }

    /// Without dma-debug: mapped again and again, never unmapped, unbound — nothing to report.
    @Test func unmappedDirectRequestsAreLegitimateWithoutDMADebug() {
        let machine = Self.machine(dmaDebug: false)
        #expect(machine.map("m1", phys: Self.ram, len: 4096, dir: .fromDevice).findings.isEmpty)
        #expect(machine.map("m2", phys: Self.ram, len: 4096, dir: .fromDevice).findings.isEmpty)
        #expect(machine.run(.detach(DetachOp(device: "nvme0"))).findings.isEmpty)
    }

    /// The same calls with dma-debug built in: `dma_need_unmap()` is true, the driver would
    /// have unmapped, so the leaks are findings. (The overlap is not: on x86
    /// `dma_get_cache_alignment()` is 1, below L1_CACHE_BYTES, so `add_dma_entry()` keeps
    /// its EEXIST to itself.)
    @Test func withDMADebugTheSameCallsAreFindings() {
        let machine = Self.machine(dmaDebug: true)
        machine.map("m1", phys: Self.ram, len: 4096, dir: .fromDevice)
        #expect(machine.map("m2", phys: Self.ram, len: 4096, dir: .fromDevice).findings.isEmpty)
        #expect(machine.run(.detach(DetachOp(device: "nvme0"))).findings.map(\.misuse) == [.leakAtDetach, .leakAtDetach])
    }

    /// A mapping made while no unmap is needed may still be unmapped (NVMe's single-segment
    /// path always does, `nvme_unmap_data()`): `check_unmap` still applies to it.
    @Test func anUnmapOfAnUntrackedMappingIsStillChecked() {
        let machine = Self.machine(dmaDebug: false)
        machine.map("m1", phys: Self.ram, len: 4096, dir: .fromDevice)
        _ = machine.run(.mappingError(MappingErrorOp(mapping: "m1")))
        #expect(machine.unmap("m1", len: 4096, dir: .fromDevice).findings.isEmpty)
        #expect(machine.unmap("m1", len: 4096, dir: .fromDevice).reports(.unmapNotMapped))
    }

    /// A non-coherent device needs syncs, so it needs unmaps (`!dev_dma_skip_sync(dev)`); so
    /// does any device once swiotlb bounced for it (`dma_reset_need_sync()` in
    /// `swiotlb_tbl_map_single()`).
    @Test func syncsOrABounceMakeUnmapsNeeded() {
        let noncoherent = Self.machine(dmaDebug: false, coherent: false)
        noncoherent.map("m1", phys: Self.ram, len: 4096, dir: .fromDevice)
        #expect(noncoherent.run(.detach(DetachOp(device: "nvme0"))).reports(.leakAtDetach))
        let bounced = Self.machine(dmaDebug: false, swiotlb: true)
        bounced.map("m1", phys: Self.ram, len: 4096, dir: .fromDevice)
        #expect(bounced.run(.detach(DetachOp(device: "nvme0"))).reports(.leakAtDetach))
    }
}
