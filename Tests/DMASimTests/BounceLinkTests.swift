import Testing
@testable import DMASim

/// `dma_iova_link` through `iommu_dma_iova_link_swiotlb()` (drivers/iommu/dma-iommu.c,
/// 7.3, and 6.16 where it differed) and its undoing in `iommu_dma_iova_unlink_range_slow()`
/// (docs/kernel-model.md "Followed call by call").
@Suite struct BounceLinkTests {
    /// Bounced buffers are RAM the kernel maps (a bounce of shared memory oopses).
    static let buffers = TestMachine.bounceRAM
    static let pool = SwiotlbSpec.defaultBase

    /// An untrusted device that set `dma_set_min_align_mask(dev, 0xfff)`, as NVMe does:
    /// without it no unaligned head can be linked (below).
    static func untrustedMachine(pool: Bool = true, minAlignMask: UInt64 = 0xFFF, kernel: KernelVersion = .v7_3) -> TestMachine {
        let machine = TestMachine(machine: MachineSpec(kernel: kernel),
                                  devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", untrusted: true, minAlignMask: minAlignMask)])
        if pool { machine.swiotlb() }
        return machine
    }

    /// Head only: `min(size, G - pad)` is all of it; one slot at the original's offset,
    /// linked as one granule, copied from the original at link, `DMA_IOVA_USE_SWIOTLB` set.
    @Test func headOnlyIsBouncedAtTheOriginalsOffset() {
        let machine = Self.untrustedMachine()
        machine.alloc("s1", phys: Self.buffers + 0x100, size: 0x200)
        let outcome = machine.link("s1", phys: Self.buffers + 0x100, len: 0x200)
        #expect(outcome.status == .ok)
        #expect(outcome.ranges == [MappedRange(iova: 0xFFFF_F000, phys: Self.pool, length: 4096,
                                               prot: [.read, .write, .cache], bounced: true)])
        #expect(outcome.events.contains(SideEvent(.bounceToDevice, address: Self.buffers + 0x100, length: 0x200, target: Self.pool + 0x100)))
        #expect(machine.engine.states[0].usesSwiotlb)
        #expect(machine.devRead(.s("s1"), len: 0x200).touched == [PhysRange(phys: Self.pool + 0x100, length: 0x200)])
    }

    /// Head, middle, tail: three page-table ranges; only head and tail are slots.
    @Test func headMiddleAndTailAreSplit() {
        let machine = Self.untrustedMachine()
        let phys = Self.buffers + 0xF00
        machine.alloc("s1", phys: phys, size: 0x2180)
        let ranges = machine.link("s1", phys: phys, len: 0x2180).ranges
        #expect(ranges.map(\.bounced) == [true, false, true])
        #expect(ranges.map(\.length) == [4096, 8192, 4096])
        #expect(ranges[1].phys == Self.buffers + 0x1000)
        #expect(ranges[2].phys == Self.pool + 0x1000)          // next fit: the slot pair after the head's
        #expect(machine.engine.swiotlbPool?.usedSlots == 4)
    }

    /// A tail-only link shorter than a granule has no aligned middle: 7.3 links only the
    /// tail; 6.16 linked the empty middle too, a 0-byte `iommu_map_nosync()` that its
    /// page tables accepted doing nothing. The outcome is the same.
    @Test(arguments: [KernelVersion.v7_3, .v6_16])
    func emptyMiddleLinksOnlyTheTail(_ version: KernelVersion) {
        let machine = Self.untrustedMachine(kernel: version)
        machine.alloc("s1", phys: Self.buffers, size: 0x300)
        let outcome = machine.link("s1", phys: Self.buffers, len: 0x300)
        #expect(outcome.status == .ok && outcome.warnings.isEmpty)
        #expect(outcome.ranges.map(\.bounced) == [true])
    }

    /// No `min_align_mask` (the default): the head's slot is granule aligned
    /// (`swiotlb_align_offset()` is 0), so `iommu_dma_iova_bounce_and_link()` asks for
    /// `slot - pad`: 7.3's generic page table (VT-d) refuses it with -ENXIO and no message,
    /// 6.16's with -EINVAL and "unaligned"; the slot is given back, the state keeps no
    /// swiotlb bit (the lab runs of 7.3.4, fixtures/scripts/lab/, lab: edu-untrusted, swiotlb=force).
    @Test(arguments: [KernelVersion.v7_3, .v6_16])
    func withoutAMinAlignMaskTheHeadCannotBeLinked(_ version: KernelVersion) {
        let machine = Self.untrustedMachine(minAlignMask: 0, kernel: version)
        machine.alloc("s1", phys: Self.buffers + 0x200, size: 0x1000)
        let outcome = machine.link("s1", phys: Self.buffers + 0x200, len: 0x1000, dir: .toDevice)
        #expect(outcome.status == .errno(version == .v7_3 ? .ENXIO : .EINVAL))
        #expect(outcome.warnings.isEmpty == (version == .v7_3))
        #expect(outcome.events.first == SideEvent(.bounceToDevice, address: Self.buffers + 0x200, length: 0xE00, target: Self.pool))
        #expect(outcome.ranges.isEmpty && machine.engine.swiotlbPool?.usedSlots == 0)
        #expect(!machine.engine.states[0].usesSwiotlb)
        #expect(TestMachine.classes(outcome) == [.unalignedLink])
    }

    /// `iommu_dma_map_swiotlb()`: no pool is "DMA bounce buffers are inactive" (a
    /// `dev_warn_once`: printed by the first call in the boot only), a full one "swiotlb
    /// buffer is full"; the link returns -ENOMEM either way.
    @Test func noPoolOrAFullPoolIsENOMEM() {
        let bare = Self.untrustedMachine(pool: false)
        bare.alloc("s1", phys: Self.buffers + 0x100, size: 0x200)
        let inactive = bare.link("s1", phys: Self.buffers + 0x100, len: 0x200)
        #expect(inactive.status == .errno(.ENOMEM))
        #expect(inactive.warnings == ["nvme0: DMA bounce buffers are inactive, unable to map unaligned transaction."])
        bare.alloc("s2", phys: Self.buffers + 0x2100, size: 0x200)
        let again = bare.link("s2", phys: Self.buffers + 0x2100, len: 0x200)
        #expect(again.status == .errno(.ENOMEM) && again.warnings.isEmpty)
        #expect(bare.map("m1", phys: Self.buffers + 0x4100, len: 0x200).status == .mappingError)
        let full = Self.untrustedMachine()
        for index in 0..<64 {      // 64 heads of two slots each fill the 128-slot pool
            full.alloc("s\(index)", phys: Self.buffers + UInt64(index) << 12 + 0x100, size: 0x200)
            full.link("s\(index)", phys: Self.buffers + UInt64(index) << 12 + 0x100, len: 0x200)
        }
        full.alloc("last", phys: Self.buffers + 0x100, size: 0x200)
        let refused = full.link("last", phys: Self.buffers + 0x100, len: 0x200)
        #expect(refused.status == .errno(.ENOMEM))
        #expect(refused.warnings.first?.contains("swiotlb buffer is full (sz: 4096 bytes), total 128 (slots), used 128 (slots)") == true)
    }

    struct CopyBackCase: CustomTestStringConvertible, Sendable {
        let name: String
        let direction: DMADirection
        let attributes: DMAAttributes
        let copiesBack: Bool
        var testDescription: String { name }
    }

    /// `swiotlb_tbl_unmap_single()` at unlink: copy back for FROM_DEVICE and
    /// BIDIRECTIONAL unless SKIP_CPU_SYNC; the slot is freed in every case.
    @Test(arguments: [
        CopyBackCase(name: "from-device", direction: .fromDevice, attributes: [], copiesBack: true),
        CopyBackCase(name: "bidirectional", direction: .bidirectional, attributes: [], copiesBack: true),
        CopyBackCase(name: "to-device", direction: .toDevice, attributes: [], copiesBack: false),
        CopyBackCase(name: "from-device, skip-cpu-sync", direction: .fromDevice, attributes: .skipCPUSync, copiesBack: false),
    ])
    func unlinkCopiesBackByDirection(_ example: CopyBackCase) {
        let machine = Self.untrustedMachine()
        machine.alloc("s1", phys: Self.buffers + 0x100, size: 0x200)
        machine.link("s1", phys: Self.buffers + 0x100, len: 0x200, dir: example.direction, attrs: example.attributes)
        let unlinked = machine.unlink("s1", len: 0x200, dir: example.direction, attrs: example.attributes)
        let copy = SideEvent(.bounceToCPU, address: Self.pool + 0x100, length: 0x200, target: Self.buffers + 0x100)
        #expect(unlinked.events.contains(copy) == example.copiesBack)
        #expect(machine.engine.swiotlbPool?.usedSlots == 0)
    }

    /// The 6.16 unwind: a tail that cannot be bounced is undone with
    /// `dma_iova_unlink(state, 0, mapped)`, which unlinks the state's FIRST granule (an
    /// earlier link) and leaves this call's middle mapped.
    @Test func failedTailUnwindsFromOffsetZeroOn616() {
        let machine = Self.untrustedMachine(kernel: .v6_16)
        let hog = DeviceSpec(name: "old0", iommu: nil, dmaBits: 28)   // the buffers are beyond its mask
        machine.run(.device(hog))
        machine.map("fill", dev: "old0", phys: Self.buffers + 0x100_0000, len: 256 * 1024)   // every slot
        machine.alloc("s1", phys: Self.buffers, size: 3 * 4096)
        machine.link("s1", phys: Self.buffers, len: 4096)
        let failed = machine.link("s1", off: 4096, phys: Self.buffers + 0x10000, len: 0x1300)
        #expect(failed.status == .errno(.ENOMEM))
        #expect(machine.devRead(.s("s1"), len: 64).status.faultKind == .notPresent)
        #expect(machine.devRead(.s("s1", 4096), len: 64).status == .ok)
    }

    /// 7.3 (6ec91df8aff7): the unwind unlinks from the failing call's offset, what it
    /// mapped: the earlier link stays, this call's middle goes.
    @Test func failedTailUnwindsItsOwnMiddle() {
        let machine = Self.untrustedMachine()
        machine.run(.device(DeviceSpec(name: "old0", iommu: nil, dmaBits: 28)))   // the buffers are beyond its mask
        machine.map("fill", dev: "old0", phys: Self.buffers + 0x100_0000, len: 256 * 1024)   // every slot
        machine.alloc("s1", phys: Self.buffers, size: 3 * 4096)
        machine.link("s1", phys: Self.buffers, len: 4096)
        let failed = machine.link("s1", off: 4096, phys: Self.buffers + 0x10000, len: 0x1300)
        #expect(failed.status == .errno(.ENOMEM))
        #expect(machine.devRead(.s("s1"), len: 64).status == .ok)
        #expect(machine.devRead(.s("s1", 4096), len: 64).status.faultKind == .notPresent)
    }

    /// `dma_kmalloc_needs_bounce()` (arm64: CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC): a small
    /// FROM_DEVICE buffer of a non-coherent device is bounced when a pool exists; without
    /// one kmalloc() aligns to the cache line (`__kmalloc_minalign()`) and the link maps
    /// in place.
    @Test func kmallocSizedBuffersOfNonCoherentDevicesBounceOnlyWithAPool() {
        for withPool in [true, false] {
            let machine = TestMachine(machine: MachineSpec(arch: .arm64),
                                      devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", coherent: false, minAlignMask: 0xFFF)])
            machine.run(.swiotlb(withPool ? SwiotlbSpec(sizeBytes: 256 * 1024) : .noForce))
            machine.alloc("s1", phys: Self.buffers + 0x40, size: 0x60)
            let outcome = machine.link("s1", phys: Self.buffers + 0x40, len: 0x60, dir: .fromDevice)   // kmalloc-96
            #expect(outcome.ranges.map(\.bounced) == [withPool])
        }
    }

    /// `dma_kmalloc_size_aligned()` with arm64's `ARCH_DMA_MINALIGN` 128: kmalloc-64 and
    /// kmalloc-192 FROM_DEVICE buffers are bounced, kmalloc-128 and 256 bytes and up are
    /// not; TO_DEVICE and coherent devices never; x86 never (no
    /// CONFIG_DMA_BOUNCE_UNALIGNED_KMALLOC).
    @Test(arguments: [
        (Architecture.arm64, UInt64(64), DMADirection.fromDevice, true), (.arm64, 192, .fromDevice, true),
        (.arm64, 96, .bidirectional, true), (.arm64, 128, .fromDevice, false), (.arm64, 256, .fromDevice, false),
        (.arm64, 64, .toDevice, false), (.x86_64, 64, .fromDevice, false),
    ])
    func kmallocBucketsThatBounce(_ arch: Architecture, length: UInt64, direction: DMADirection, bounced: Bool) {
        let machine = TestMachine(machine: MachineSpec(arch: arch),
                                  devices: [DeviceSpec(name: "nvme0", iommu: "mmu0", coherent: false, minAlignMask: 0xFFF)])
        machine.swiotlb()
        let outcome = machine.mapAttrs("m1", phys: Self.buffers + 0x1000, len: length, dir: direction, attrs: [])
        #expect(outcome.ranges.map(\.bounced) == [bounced])
    }
}
