@testable import DMASim
import Testing

/// Each difference between the releases from 6.16 to 7.3 holds from the release that
/// brought it, and not before (`KernelRules`; docs/kernel-model.md, "Kernel versions").
@Suite struct KernelReleaseRulesTests {
    static func rules(_ version: KernelVersion, _ arch: Architecture = .x86_64) -> KernelRules {
        KernelRules(MachineSpec(arch: arch, kernel: version))
    }

    /// Releases compare in release order, whatever the order of the state tags.
    @Test func releasesCompareInReleaseOrder() {
        #expect(KernelVersion.allCases == KernelVersion.allCases.sorted())
        #expect(KernelVersion.v6_19 < .v7_0 && .v7_2 < .v7_3 && .v6_16 < .v6_17)
        #expect(KernelVersion.allCases.map(\.rawValue) == ["6.16", "6.17", "6.18", "6.19", "7.0", "7.1", "7.2", "7.3"])
    }

    /// Each rule by name, as `KernelRules` answers it.
    static func holds(_ rule: String, _ rules: KernelRules) -> Bool {
        switch rule {
        case "mmio": return rules.knownAttributes.contains(.mmio)
        case "require-coherent": return rules.knownAttributes.contains(.requireCoherent)
        case "ignore-cachelines": return rules.knownAttributes.contains(.debuggingIgnoreCachelines)
        case "cc-shared": return rules.knownAttributes.contains(.ccShared)
        case "no empty middle": return !rules.linksEmptyMiddleAndUnwindsFromZero
        case "generic page table": return rules.x86UsesGenericPageTable
        case "x86 overlap quiet": return !rules.reportsCachelineOverlap
        case "marked overlap tolerated": return rules.toleratesMarkedCachelineOverlap
        case "debug checks unmap attributes": return rules.debugChecksUnmapAttributes
        case "debug checks mmio on ram": return rules.debugChecksMMIOOnRAM
        case "destroy unlinks then frees": return rules.destroyUnlinksThenFrees
        default: Issue.record("no rule \(rule)"); return false
        }
    }

    /// The first release of each rule; every earlier release lacks it, every later has it.
    @Test(arguments: [
        // DMA_ATTR_MMIO: dma-mapping-6.18 ("iommu/dma: implement DMA_ATTR_MMIO for dma_iova_link()").
        ("mmio", KernelVersion.v6_18),
        // DMA_ATTR_REQUIRE_COHERENT, DMA_ATTR_DEBUGGING_IGNORE_CACHELINES: 7.0 fixes.
        ("require-coherent", .v7_0),
        ("ignore-cachelines", .v7_0),
        // DMA_ATTR_CC_SHARED: f0548044a026, tag dma-mapping-7.1-2026-04-16 (87768582a440).
        ("cc-shared", .v7_1),
        // iommu_dma_iova_link_swiotlb() maps no empty middle (6ec91df8aff7).
        ("no empty middle", .v6_18),
        // VT-d / AMD-Vi on the generic page table (d373449d8e97).
        ("generic page table", .v6_19),
        // add_dma_entry(): dma_get_cache_alignment() >= L1_CACHE_BYTES (3d48c9fd78dd).
        ("x86 overlap quiet", .v7_0),
        ("marked overlap tolerated", .v7_0),
        // check_unmap()'s DMA_ATTR_UNMAP_VALID: a34bd60bdaeb, tag dma-mapping-7.2-2026-06-16 (4cc14386e350).
        ("debug checks unmap attributes", .v7_2),
        // debug_dma_map_phys()'s MMIO-on-RAM check: af0c3f058662, tag dma-mapping-7.1-2026-05-22 (1c04dcd891c0).
        ("debug checks mmio on ram", .v7_1),
        // dma_iova_destroy() = dma_iova_unlink() + dma_iova_free() (measured on 7.3.4; the
        // commit is not found, the release bounded: see KernelRules).
        ("destroy unlinks then frees", .v7_3),
    ])
    func ruleHoldsFromItsRelease(_ rule: String, _ first: KernelVersion) {
        for version in KernelVersion.allCases {
            #expect(Self.holds(rule, Self.rules(version)) == (version >= first), "\(rule) on \(version.rawValue)")
        }
    }

    /// arm64 reports cacheline overlaps on every release (`dma_get_cache_alignment()` 128).
    @Test func arm64ReportsOverlapsOnEveryRelease() {
        #expect(KernelVersion.allCases.allSatisfy { Self.rules($0, .arm64).reportsCachelineOverlap })
    }

    /// The engine state keeps a machine of every release (the tags of 7.3 and 6.16 are
    /// those older states carry).
    @Test(arguments: KernelVersion.allCases)
    func everyReleaseSurvivesTheEngineState(_ version: KernelVersion) throws {
        let engine = Engine(machine: MachineSpec(kernel: version))
        let restored = try Engine.decodingState(engine.encodeState())
        #expect(restored.machine.kernel == version)
        #expect(KernelVersion.stateOrder.prefix(2) == [.v7_3, .v6_16])
    }
}

/// dma-debug's overlap counter (`active_cacheline_inc_overlap()`,
/// `active_cacheline_set_overlap()`, `active_cacheline_remove()` in kernel/dma/debug.c).
@Suite struct CachelineOverlapCountTests {
    static func machine(_ spec: MachineSpec = MachineSpec(arch: .arm64)) -> TestMachine {
        let machine = TestMachine(machine: spec, iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, coherent: false)])
        machine.run(.swiotlb(.noForce))
        return machine
    }

    /// Eight mappings fill the count (one plus seven overlaps); the ninth WARNs once
    /// ("exceeded 7 overlapping mappings of cacheline %pa", the cacheline number) and is
    /// not counted, the tenth prints nothing more (WARN_ONCE).
    @Test func theNinthMappingWarnsOnce() {
        let machine = Self.machine()
        for index in 1...8 {
            #expect(machine.map("m\(index)", dev: "dsp0", phys: TestMachine.ram + UInt64(index * 4), len: 4, dir: .fromDevice)
                .warnings.isEmpty)
        }
        let ninth = machine.map("m9", dev: "dsp0", phys: TestMachine.ram + 36, len: 4, dir: .fromDevice)
        #expect(ninth.warnings == ["DMA-API: exceeded 7 overlapping mappings of cacheline 0x0000000000400000"])
        #expect(ninth.reports(.overlappingCachelineMapping))
        #expect(machine.map("m10", dev: "dsp0", phys: TestMachine.ram + 40, len: 4, dir: .fromDevice).warnings.isEmpty)
    }

    /// The uncounted mappings are lost to dma-debug: eight unmaps delete the line while two
    /// mappings of it are live, and the next mapping of the line is not reported.
    @Test func saturatedLineLeavesTheTreeEarly() {
        let machine = Self.machine()
        for index in 1...10 {
            machine.map("m\(index)", dev: "dsp0", phys: TestMachine.ram + UInt64(index * 4), len: 4, dir: .fromDevice)
            machine.checkError("m\(index)")
        }
        for index in 1...8 { machine.unmap("m\(index)", len: 4, dir: .fromDevice) }
        let next = machine.map("m11", dev: "dsp0", phys: TestMachine.ram, len: 4, dir: .fromDevice)
        #expect(!next.reports(.overlappingCachelineMapping))
    }

    /// From 7.0 a mapping marked DMA_ATTR_DEBUGGING_IGNORE_CACHELINES does not WARN past
    /// the count ("dma-debug: Allow multiple invocations of overlapping entries"); 6.19
    /// ignored the bit and WARNed.
    @Test(arguments: [(KernelVersion.v7_0, false), (.v6_19, true)])
    func aMarkedMappingPastTheCount(_ version: KernelVersion, warns: Bool) {
        let machine = Self.machine(MachineSpec(arch: .arm64, kernel: version))
        var last = Outcome()
        for index in 1...9 {
            last = machine.mapAttrs("m\(index)", dev: "dsp0", phys: TestMachine.ram + UInt64(index * 4), len: 4, dir: .fromDevice,
                                    attrs: .debuggingIgnoreCachelines)
        }
        #expect(!last.warnings.isEmpty == warns)
    }
}

/// `DMA_ATTR_CC_SHARED` (7.1, f0548044a026): kernel/dma/direct.h `dma_direct_map_phys()` and
/// kernel/dma/mapping.c `dma_map_phys()`.
@Suite struct CCSharedTests {
    static func machine(force: Bool, kernel: KernelVersion = .v7_3) -> TestMachine {
        let machine = TestMachine(machine: MachineSpec(kernel: kernel),
                                  devices: [DeviceSpec(name: "nic0", iommu: nil), DeviceSpec(name: "nvme0", iommu: "mmu0")])
        machine.run(.swiotlb(SwiotlbSpec(sizeBytes: 1 << 20, base: TestMachine.bounceRAM, force: force)))
        return machine
    }

    /// Under `is_swiotlb_force_bounce()` the buffer is mapped in place, not bounced.
    @Test func forcedBounceIsSkipped() {
        let machine = Self.machine(force: true)
        let shared = machine.mapAttrs("m1", dev: "nic0", phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .ccShared)
        #expect(shared.status == .ok && shared.address == TestMachine.ram)
        let plain = machine.map("m2", dev: "nic0", phys: TestMachine.ram, len: 4096, dir: .toDevice)
        #expect(plain.address == TestMachine.bounceRAM)
    }

    /// Without forced bouncing, and on the IOMMU path, `DMA_MAPPING_ERROR`, silently.
    @Test func refusedWithoutForcedBounce() {
        let machine = Self.machine(force: false)
        for device in ["nic0", "nvme0"] {
            let outcome = machine.mapAttrs("m-\(device)", dev: device, phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .ccShared)
            #expect(outcome.status == .mappingError && outcome.warnings.isEmpty)
        }
    }

    /// 7.0 knows no bit 13: the buffer is bounced like any other; 7.1 knows it.
    @Test func beforeItsReleaseTheBitIsIgnored() {
        let first = Self.machine(force: true, kernel: .v7_1)
        #expect(first.mapAttrs("m1", dev: "nic0", phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .ccShared).address == TestMachine.ram)
        let machine = Self.machine(force: true, kernel: .v7_0)
        let outcome = machine.mapAttrs("m1", dev: "nic0", phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .ccShared)
        #expect(outcome.address == TestMachine.bounceRAM)
    }
}

/// An imported trace's `uname -r` picks the release whose semantics it has.
@Suite struct KernelReleaseFollowingTests {
    @Test(arguments: [
        (6, 12, KernelVersion.v6_16), (6, 16, .v6_16), (6, 18, .v6_18), (6, 20, .v6_19),
        (7, 0, .v7_0), (7, 2, .v7_2), (7, 3, .v7_3), (7, 9, .v7_3), (8, 1, .v7_3),
    ])
    func releaseFollows(_ major: Int, _ minor: Int, _ version: KernelVersion) {
        #expect(KernelVersion.following(major: major, minor: minor) == version)
    }
}

/// `dma_unmap_phys()` with `DMA_ATTR_CC_SHARED` on an IOMMU device returns before the
/// unmap and before dma-debug (7.1+, f0548044a026); 7.0 ignores bit 13 and unmaps.
@Suite struct CCSharedUnmapTests {
    @Test(arguments: [(KernelVersion.v7_1, true), (.v7_3, true), (.v7_0, false)])
    func iommuUnmapWithTheAttributeDoesNothing(_ kernel: KernelVersion, _ skipped: Bool) {
        let machine = TestMachine(machine: MachineSpec(kernel: kernel))
        machine.map("m1", phys: TestMachine.ram, len: 4096, dir: .toDevice)
        machine.checkError("m1")
        let unmap = machine.unmap("m1", len: 4096, dir: .toDevice, attrs: .ccShared)
        #expect(unmap.status == .ok && unmap.findings.isEmpty)
        #expect(unmap.events.isEmpty == skipped)
        #expect((machine.devRead(.m("m1"), len: 4096).status == .ok) == skipped)
    }
}
