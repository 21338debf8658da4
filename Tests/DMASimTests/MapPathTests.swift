import Testing
@testable import DMASim

/// What a failed `iommu_map_nosync()` returns and prints depends on the code behind it
/// (drivers/iommu/iommu.c): on 7.3 an x86-64 IOMMU (VT-d, AMD-Vi) maps through the generic
/// page table's `map_range()` (drivers/iommu/generic_pt/iommu_pt.h), silent -ENXIO and
/// -EADDRINUSE; 6.16, Arm SMMUs and virtio-iommu go through `__iommu_map_domain_pgtbl()`
/// and `map_pages`, "unaligned: …" with -EINVAL and io-pgtable-arm's WARN with -EEXIST.
@Suite struct MapPathTests {
    static let base = TestMachine.shared

    struct PathCase: CustomTestStringConvertible, Sendable {
        let name: String
        let machine: MachineSpec?
        let needsSyncMap: Bool
        let path: MapPath
        var testDescription: String { name }
    }

    static let pathCases: [PathCase] = [
        PathCase(name: "7.3 x86-64 (VT-d, AMD-Vi)", machine: nil, needsSyncMap: false, path: .genericPageTable),
        PathCase(name: "6.16 x86-64", machine: MachineSpec(kernel: .v6_16), needsSyncMap: false, path: .mapPages),
        PathCase(name: "7.3 arm64 (SMMU, io-pgtable-arm)", machine: MachineSpec(arch: .arm64), needsSyncMap: false, path: .mapPages),
        PathCase(name: "7.3 virtio-iommu", machine: nil, needsSyncMap: true, path: .mapPages),
    ]

    static func machine(_ pathCase: PathCase) -> TestMachine {
        TestMachine(machine: pathCase.machine, iommu: IOMMUSpec(name: "mmu0", needsSyncMap: pathCase.needsSyncMap))
    }

    /// `iommu_map_nosync()` takes `pt->ops->map_range` when `iommupt_from_domain()` finds a
    /// generic page table, which 7.3's VT-d and AMD-Vi have and io-pgtable-arm and
    /// virtio-iommu do not; 6.16 has no generic page table.
    @Test(arguments: pathCases) func theMapPathFollowsKernelAndIOMMU(_ pathCase: PathCase) {
        let machine = Self.machine(pathCase)
        let domain = machine.engine.devices.values.first!.domain!
        #expect(machine.engine.mapPath(for: domain) == pathCase.path)
    }

    /// A link over a present PTE: `__map_range_leaf()` → `clear_contig()` returns
    /// -EADDRINUSE and prints nothing (measured on 7.3.4's VT-d:
    /// fixtures/oracle/misuse-overlapping-link.console.log); `arm_lpae_init_pte()` WARNs
    /// and returns -EEXIST. Either way the call's own part is unrolled by `iommu_unmap()`
    /// and the earlier link stays.
    @Test(arguments: pathCases) func aLinkOverAPresentPTE(_ pathCase: PathCase) {
        let machine = Self.machine(pathCase)
        let addr = machine.alloc("s1", size: 16384).address!
        machine.link("s1", off: 4096, phys: Self.base, len: 4096)
        let outcome = machine.link("s1", off: 0, phys: Self.base + 0x10000, len: 8192)
        #expect(TestMachine.classes(outcome) == [.overlappingLink])
        #expect(outcome.events == [SideEvent(.iotlbInvalidate, address: addr, length: 4096)])
        switch pathCase.path {
        case .genericPageTable:
            #expect(outcome.status == .errno(.EADDRINUSE))
            #expect(outcome.warnings.isEmpty)
        case .mapPages:
            #expect(outcome.status == .errno(.EEXIST))
            #expect(outcome.warnings == ["WARN: map over a present PTE at iova 0x\(hex(addr + 4096))"])
        }
        machine.sync("s1", len: 16384)
        #expect(machine.devRead(.s("s1", 0), len: 4096).status.faultKind == .notPresent)
        #expect(machine.devRead(.s("s1", 4096), len: 4096).status == .ok)
    }

    /// The first link's in-granule offset differs from try_alloc's, so the IOVA handed to
    /// `iommu_map_nosync()` is off the granule: `map_range()`'s `pt_compute_best_pgsize()`
    /// finds no page size, -ENXIO with no message (measured on 7.3.4:
    /// fixtures/oracle/misuse-unaligned-link.console.log);
    /// `__iommu_map_domain_pgtbl()` prints "unaligned: …" and returns -EINVAL.
    @Test(arguments: pathCases) func aLinkAtAnUnalignedIOVA(_ pathCase: PathCase) {
        let machine = Self.machine(pathCase)
        machine.alloc("s1", phys: Self.base, size: 8192)
        let outcome = machine.link("s1", phys: Self.base + 0x200, len: 4096)
        #expect(TestMachine.classes(outcome) == [.unalignedLink])
        #expect(outcome.ranges.isEmpty && outcome.events.isEmpty)
        switch pathCase.path {
        case .genericPageTable:
            #expect(outcome.status == .errno(.ENXIO))
            #expect(outcome.warnings.isEmpty)
        case .mapPages:
            #expect(outcome.status == .errno(.EINVAL))
            // __iommu_map_domain_pgtbl()'s check, then iommu_unmap(domain, iova, 0)'s in
            // __iommu_unmap_domain_pgtbl(), both under pr_fmt "iommu: " (Linux 7.3.4's
            // virtio-iommu printed exactly these two lines: fixtures/oracle).
            #expect(outcome.warnings == ["iommu: unaligned: iova 0xffffde00 pa 0x100000000000 size 0x2000 min_pagesz 0x1000",
                                         "iommu: unaligned: iova 0xffffde00 size 0x0 min_pagesz 0x1000"])
        }
    }

    /// A 4K link into IOVA a 2 MiB block covers: `__map_range()` meets the block's entry
    /// above the leaves' level and returns -EADDRINUSE before installing anything.
    @Test func aLinkIntoABlockIsEADDRINUSEOn73() {
        let machine = TestMachine()
        let twoMiB: UInt64 = 2 << 20
        let addr = machine.alloc("s1", phys: Self.base, size: twoMiB).address!
        #expect(machine.link("s1", phys: Self.base, len: twoMiB).status == .ok)
        let outcome = machine.link("s1", off: 0x1000, phys: Self.base + 0x10_0000, len: 4096)
        #expect(outcome.status == .errno(.EADDRINUSE))
        #expect(TestMachine.classes(outcome) == [.overlappingLink])
        #expect(outcome.warnings.isEmpty && outcome.events.isEmpty)
        // The block stays, mapping what it mapped.
        #expect(machine.engine.devices.values.first!.domain!.iovaToPhys(addr + 0x1000) == Self.base + 0x1000)
    }
}
