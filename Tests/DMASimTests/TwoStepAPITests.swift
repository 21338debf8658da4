import Testing
@testable import DMASim

/// `dma_iova_try_alloc`, `dma_iova_link` and `dma_iova_sync` (drivers/iommu/dma-iommu.c,
/// docs/kernel-model.md "Followed call by call").
@Suite struct TwoStepAPITests {
    static let base = TestMachine.shared

    // MARK: try_alloc

    struct FallbackCase: CustomTestStringConvertible, Sendable {
        let name: String
        let iommu: IOMMUSpec?
        let device: DeviceSpec
        let sizeBytes: UInt64
        var testDescription: String { name }
    }

    /// try_alloc returns false (the caller falls back to dma_map_phys) without an IOMMU,
    /// on an identity domain, for size 0 and for a size with bit 63 set.
    @Test(arguments: [
        FallbackCase(name: "no IOMMU", iommu: nil, device: DeviceSpec(name: "nvme0", iommu: nil), sizeBytes: 4096),
        FallbackCase(name: "passthrough", iommu: IOMMUSpec(name: "mmu0", mode: .passthrough),
                     device: DeviceSpec(name: "nvme0", iommu: "mmu0"), sizeBytes: 4096),
        FallbackCase(name: "size 0 (WARN_ON_ONCE)", iommu: IOMMUSpec(name: "mmu0"),
                     device: DeviceSpec(name: "nvme0", iommu: "mmu0"), sizeBytes: 0),
        FallbackCase(name: "DMA_IOVA_USE_SWIOTLB bit", iommu: IOMMUSpec(name: "mmu0"),
                     device: DeviceSpec(name: "nvme0", iommu: "mmu0"), sizeBytes: 1 << 63),
    ])
    func tryAllocFallsBack(_ example: FallbackCase) {
        let machine = TestMachine(iommu: example.iommu, devices: [example.device])
        let outcome = machine.alloc("s1", size: example.sizeBytes)
        #expect(outcome.status == .fallback)
        #expect(outcome.address == nil)
    }

    @Test func failedTryAllocLeavesAZeroedStateAndLinkIsFlagged() {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", dmaBits: 12)])
        #expect(machine.alloc("s1", size: 1 << 20).status == .fallback)
        // `link-without-iova`: the kernel would link at IOVA 0 + offset; the checker says why.
        let linked = machine.link("s1", len: 4096)
        #expect(TestMachine.classes(linked).contains(.linkWithoutIOVA))
    }

    // MARK: link

    @Test func linkMapsGranulesWithDirectionProtAndReportsTheRange() {
        let machine = TestMachine()
        let addr = machine.alloc("s1", size: 16384).address!
        let outcome = machine.link("s1", off: 4096, phys: Self.base + 0x10000, len: 8192, dir: .toDevice)
        #expect(outcome.status == .ok)
        #expect(outcome.address == addr + 4096)
        #expect(outcome.ranges == [MappedRange(iova: addr + 4096, phys: Self.base + 0x10000, length: 8192,
                                               prot: [.read, .cache], bounced: false)])
    }

    /// `dma_info_to_prot()`: CACHE for coherent devices, MMIO replaces it, PRIV added,
    /// READ/WRITE by direction, and DMA_NONE gives 0.
    struct ProtCase: Sendable {
        let direction: DMADirection
        let coherent: Bool
        let attributes: DMAAttributes
        let expected: IOMMUProt
    }

    @Test(arguments: [
        ProtCase(direction: .bidirectional, coherent: true, attributes: [], expected: [.read, .write, .cache]),
        ProtCase(direction: .toDevice, coherent: true, attributes: [], expected: [.read, .cache]),
        ProtCase(direction: .fromDevice, coherent: false, attributes: [], expected: [.write]),
        ProtCase(direction: .fromDevice, coherent: true, attributes: [.mmio], expected: [.write, .mmio]),
        ProtCase(direction: .bidirectional, coherent: false, attributes: [.privileged], expected: [.read, .write, .priv]),
        ProtCase(direction: .none, coherent: true, attributes: [.privileged], expected: []),
    ])
    func protFromDirectionAndAttributes(_ example: ProtCase) {
        #expect(IOMMUProt(direction: example.direction, coherent: example.coherent, attributes: example.attributes) == example.expected)
    }

    /// "Only the first link (offset 0) may start unaligned": -EIO with a WARN.
    @Test func unalignedPhysAtNonZeroOffsetIsEIO() {
        let machine = TestMachine()
        machine.alloc("s1", size: 16384)
        let outcome = machine.link("s1", off: 4096, phys: Self.base + 0x200, len: 4096)
        #expect(outcome.status == .errno(.EIO))
        #expect(outcome.warnings == ["WARN_ON_ONCE(iova_start_pad && offset > 0)"])
        #expect(TestMachine.classes(outcome) == [.unalignedLink])
    }

    /// An unaligned first link is fine when try_alloc saw the same in-granule offset.
    @Test func unalignedFirstLinkWithMatchingOffsetSucceeds() {
        let machine = TestMachine()
        let addr = machine.alloc("s1", phys: Self.base + 0x200, size: 4096).address!
        let outcome = machine.link("s1", phys: Self.base + 0x200, len: 4096)
        #expect(outcome.status == .ok)
        #expect(outcome.address == addr)
        // phys - pad .. iova_align(size + pad): two granules.
        #expect(outcome.ranges.first?.length == 8192)
        #expect(outcome.ranges.first?.iova == addr - 0x200)
    }

    /// `unaligned-link`: the first link's in-granule offset differs from try_alloc's: the IOVA is
    /// misaligned and 7.3's generic page table (`map_range()`) refuses it with -ENXIO,
    /// printing nothing. `MapPathTests` pins 6.16's -EINVAL and the other drivers.
    @Test func offsetMismatchWithTryAllocIsENXIO() {
        let machine = TestMachine()
        machine.alloc("s1", phys: Self.base, size: 8192)
        let outcome = machine.link("s1", phys: Self.base + 0x200, len: 4096)
        #expect(outcome.status == .errno(.ENXIO))
        #expect(outcome.warnings.isEmpty)
        #expect(TestMachine.classes(outcome) == [.unalignedLink])
    }

    /// `link-out-of-bounds`: the kernel has no bounds check; the link maps IOVA beyond the state and the
    /// checker flags it.
    @Test func linkPastTheStateSizeMapsButIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        let outcome = machine.link("s1", off: 4096, len: 4096)
        #expect(outcome.status == .ok)
        #expect(TestMachine.classes(outcome) == [.linkOutOfBounds])
    }

    @Test func nonCoherentLinkCleansTheCacheUnlessSkipCPUSync() {
        let machine = TestMachine(devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", coherent: false)])
        machine.alloc("s1", size: 8192)
        let cleaned = machine.link("s1", len: 4096, dir: .toDevice)
        #expect(cleaned.events == [SideEvent(.cacheClean, address: Self.base, length: 4096)])
        let skipped = machine.link("s1", off: 4096, phys: Self.base + 4096, len: 4096, dir: .toDevice, attrs: .skipCPUSync)
        #expect(skipped.events.isEmpty)
    }

    // MARK: sync

    /// docs/kernel-model.md "Followed call by call" dma_iova_sync / `access-before-sync`: on a needs-sync-map IOMMU (virtio-iommu), linked granules
    /// are invisible until `iotlb_sync_map` covers them.
    @Test func needsSyncMapHidesLinkedGranulesUntilSync() {
        let machine = TestMachine(mode: .strict, needsSyncMap: true)
        let addr = machine.alloc("s1", size: 8192).address!
        machine.link("s1", len: 8192)
        let early = machine.devWrite(.s("s1"), len: 4096, fill: .byte(1))
        #expect(early.status.faultKind == .notSynced)
        #expect(TestMachine.classes(early) == [.accessBeforeSync])
        let synced = machine.sync("s1", len: 4096)
        #expect(synced.events == [SideEvent(.iotlbSyncMap, address: addr, length: 4096)])
        #expect(machine.devWrite(.s("s1"), len: 4096, fill: .byte(1)).status == .ok)
        #expect(machine.devWrite(.s("s1", 4096), len: 4096, fill: .byte(1)).status.faultKind == .notSynced)
    }

    /// Without `iotlb_sync_map` the driver's sync does nothing and the link is usable at once.
    @Test func syncIsANoOpWithoutNeedsSyncMap() {
        let machine = TestMachine()
        machine.alloc("s1", size: 4096)
        machine.link("s1", len: 4096)
        let write = machine.devWrite(.s("s1"), len: 4096, fill: .byte(1))
        #expect(write.status == .ok && write.findings.isEmpty)
        #expect(machine.sync("s1", len: 4096) == .ok)
    }

    /// `partial-link-not-cleaned` (fixed upstream by 81e7223b1a2d): after a failed link the driver must
    /// destroy(mapped); syncing instead leaves the linked part mapped.
    @Test func syncAfterAFailedLinkIsFlagged() {
        let machine = TestMachine()
        machine.alloc("s1", size: 8192)
        machine.link("s1", len: 4096)
        #expect(machine.link("s1", off: 4096, phys: Self.base + 0x200, len: 4096).status == .errno(.EIO))
        #expect(TestMachine.classes(machine.sync("s1", len: 8192)) == [.partialLinkNotCleaned])
    }
}
