import Testing
@testable import DMASim

/// dma-debug for the streaming API (kernel/dma/debug.c): `check_sync()` classes 14–18
/// and `add_dma_entry()`'s active-cacheline overlap, class 20 (docs/checker.md "Notes on the streaming checks").
@Suite struct StreamingDebugTests {
    static let ram = TestMachine.ram

    /// An arm64 machine (non-coherent DMA, and where 7.3's dma-debug still tracks
    /// cachelines: `dma_get_cache_alignment()` is 128 there, 1 on x86).
    static func machine(_ spec: MachineSpec = MachineSpec(arch: .arm64)) -> TestMachine {
        TestMachine(machine: spec, iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil, coherent: false)])
    }

    struct SyncCase: CustomTestStringConvertible, Sendable {
        let name: String
        let mapped: DMADirection
        let forDevice: Bool
        let synced: DMADirection
        var offset: UInt64 = 0
        var length: UInt64 = 4096
        let expected: [MisuseClass]
        var testDescription: String { name }
    }

    @Test(arguments: [
        SyncCase(name: "matching sync", mapped: .fromDevice, forDevice: false, synced: .fromDevice, expected: []),
        SyncCase(name: "partial sync inside", mapped: .fromDevice, forDevice: false, synced: .fromDevice,
                 offset: 0x800, length: 0x800, expected: []),
        SyncCase(name: "past the end", mapped: .fromDevice, forDevice: false, synced: .fromDevice,
                 offset: 0x800, length: 0x1000, expected: [.syncOutOfRange]),
        SyncCase(name: "starts past the end", mapped: .fromDevice, forDevice: false, synced: .fromDevice,
                 offset: 0x1000, length: 0x10, expected: [.syncNotMapped]),
        SyncCase(name: "bidirectional map takes any direction", mapped: .bidirectional, forDevice: true,
                 synced: .toDevice, expected: []),
        SyncCase(name: "different direction", mapped: .fromDevice, forDevice: false, synced: .bidirectional,
                 expected: [.syncDirectionMismatch]),
        SyncCase(name: "TO_DEVICE for cpu as TO_DEVICE", mapped: .toDevice, forDevice: false, synced: .toDevice, expected: []),
        SyncCase(name: "TO_DEVICE for cpu as FROM_DEVICE", mapped: .toDevice, forDevice: false, synced: .fromDevice,
                 expected: [.syncDirectionMismatch, .syncReadOnlyForCPU]),
        SyncCase(name: "FROM_DEVICE for device as FROM_DEVICE", mapped: .fromDevice, forDevice: true, synced: .fromDevice,
                 expected: []),
        SyncCase(name: "FROM_DEVICE for device as TO_DEVICE", mapped: .fromDevice, forDevice: true, synced: .toDevice,
                 expected: [.syncDirectionMismatch, .syncWriteOnlyForDevice]),
    ])
    func checkSync(_ example: SyncCase) {
        let machine = Self.machine()
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 4096, dir: example.mapped)
        let outcome = example.forDevice
            ? machine.syncForDevice("m1", off: example.offset, len: example.length, dir: example.synced)
            : machine.syncForCPU("m1", off: example.offset, len: example.length, dir: example.synced)
        #expect(TestMachine.classes(outcome) == example.expected)
    }

    /// Class 14 for a mapping that is gone or never was: no effect is applied.
    @Test func syncAfterUnmapIsNotMapped() {
        let machine = Self.machine()
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 4096, dir: .fromDevice)
        machine.checkError("m1")
        machine.unmap("m1", len: 4096, dir: .fromDevice)
        let outcome = machine.syncForCPU("m1", len: 4096, dir: .fromDevice)
        #expect(TestMachine.classes(outcome) == [.syncNotMapped])
        #expect(outcome.events.isEmpty)
    }

    struct OverlapCase: CustomTestStringConvertible, Sendable {
        let name: String
        let secondPhys: UInt64
        let direction: DMADirection
        var attributes: DMAAttributes = []
        var pool = false
        let reported: Bool
        var testDescription: String { name }
    }

    /// `active_cacheline_insert()`: only FIRST cachelines count, TO_DEVICE is not
    /// inserted, SKIP_CPU_SYNC and an active swiotlb (DMA_BOUNCE_UNALIGNED_KMALLOC) silence
    /// it; 7.x also when both mappings carry ignore-cachelines (or require-coherent).
    @Test(arguments: [
        OverlapCase(name: "same first line", secondPhys: ram + 0x20, direction: .fromDevice, reported: true),
        OverlapCase(name: "second line shared only", secondPhys: ram + 0x40, direction: .fromDevice, reported: false),
        OverlapCase(name: "TO_DEVICE", secondPhys: ram + 0x20, direction: .toDevice, reported: false),
        OverlapCase(name: "skip-cpu-sync", secondPhys: ram + 0x20, direction: .fromDevice, attributes: .skipCPUSync, reported: false),
        OverlapCase(name: "swiotlb active", secondPhys: ram + 0x20, direction: .fromDevice, pool: true, reported: false),
        OverlapCase(name: "only the second ignores cachelines", secondPhys: ram + 0x20, direction: .fromDevice,
                    attributes: .debuggingIgnoreCachelines, reported: true),
    ])
    func overlappingCachelines(_ example: OverlapCase) {
        let machine = Self.machine()
        // arm64 makes a pool at boot; swiotlb=noforce is the machine without one.
        machine.run(.swiotlb(example.pool ? SwiotlbSpec(sizeBytes: 256 * 1024) : .noForce))
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 0x80, dir: .fromDevice)
        let second = machine.mapAttrs("m2", dev: "dsp0", phys: example.secondPhys, len: 0x20, dir: example.direction,
                                      attrs: example.attributes)
        #expect(second.reports(.overlappingCachelineMapping) == example.reported)
    }

    /// 7.0: `DMA_ATTR_DEBUGGING_IGNORE_CACHELINES` (or REQUIRE_COHERENT) on both mappings
    /// silences it; 6.16 did not know the attribute. 7.3 on x86 never reports
    /// (`dma_get_cache_alignment()` 1 < `L1_CACHE_BYTES`); 6.16 did.
    @Test(arguments: [
        (MachineSpec(arch: .arm64), DMAAttributes.debuggingIgnoreCachelines, false),
        (MachineSpec(arch: .arm64), DMAAttributes.requireCoherent, false),
        (MachineSpec(arch: .arm64, kernel: .v6_16), DMAAttributes.debuggingIgnoreCachelines, true),
        (MachineSpec(arch: .x86_64), DMAAttributes(), false),
        (MachineSpec(arch: .x86_64, kernel: .v6_16), DMAAttributes(), true),
    ])
    func cachelineOverlapByKernel(_ spec: MachineSpec, attributes: DMAAttributes, reported: Bool) {
        let machine = TestMachine(machine: spec, iommu: nil, devices: [DeviceSpec(name: "dsp0", iommu: nil)])
        machine.run(.swiotlb(.noForce))
        machine.mapAttrs("m1", dev: "dsp0", phys: Self.ram, len: 0x20, dir: .fromDevice, attrs: attributes)
        let second = machine.mapAttrs("m2", dev: "dsp0", phys: Self.ram + 0x20, len: 0x20, dir: .fromDevice, attrs: attributes)
        #expect(second.reports(.overlappingCachelineMapping) == reported)
    }

    /// `active_cacheline_remove()` at unmap: the line is free again.
    @Test func unmapRemovesTheCacheline() {
        let machine = Self.machine()
        machine.map("m1", dev: "dsp0", phys: Self.ram, len: 0x20, dir: .fromDevice)
        machine.checkError("m1")
        machine.unmap("m1", len: 0x20, dir: .fromDevice)
        #expect(!machine.map("m2", dev: "dsp0", phys: Self.ram + 0x20, len: 0x20, dir: .fromDevice).reports(.overlappingCachelineMapping))
    }

    /// `check_unmap()` matches by device and address (`__hash_bucket_find()`, best fit):
    /// an unmap through a stale handle whose address was reused takes the new mapping's
    /// entry (here with a size mismatch, which dma-debug prints) and frees it; the new
    /// mapping's own unmap then "was never allocated". The handle-based findings stay.
    @Test func aStaleHandleTakesTheReusedAddresssEntry() throws {
        let machine = TestMachine()
        machine.map("m1", phys: TestMachine.ram, len: 4096)
        machine.checkError("m1")
        machine.unmap("m1", len: 4096)
        machine.map("m2", phys: TestMachine.ram + 0x10000, len: 4096)     // the same IOVA again
        machine.checkError("m2")
        let stale = machine.unmap("m1", len: 8192)
        #expect(TestMachine.classes(stale) == [.unmapNotMapped])
        #expect(stale.findings[0].message.contains("takes m2's entry"))
        #expect(stale.warnings.first == "DMA-API: nvme0: device driver frees DMA memory with different size [device address=0x00000000fffff000] [map size=4096 bytes] [unmap size=8192 bytes]")
        let own = machine.unmap("m2", len: 4096)
        #expect(own.findings.isEmpty)
        #expect(own.warnings.first == "DMA-API: nvme0: device driver tries to free DMA memory it has not allocated [device address=0x00000000fffff000] [size=4096 bytes]")
        // The engine state keeps who holds an entry: a restored engine sees the same.
        let restored = try machine.engine.checkpointCopy()
        #expect(restored.dmaDebugEntries.isEmpty)
    }

    /// dma-direct maps one address twice: the best fit is the entry whose size and
    /// direction match the unmap, not the handle's; the handle's entry is left.
    @Test func bestFitPicksThePerfectMatchAcrossHandles() throws {
        let machine = TestMachine(iommu: nil, devices: [DeviceSpec(name: "old0", iommu: nil)])
        machine.run(.map(MapOp(mapping: "m1", device: "old0", phys: TestMachine.ram, length: 64, direction: .toDevice)))
        machine.run(.map(MapOp(mapping: "m2", device: "old0", phys: TestMachine.ram, length: 128, direction: .toDevice)))
        machine.checkError("m1")
        machine.checkError("m2")
        let outcome = machine.run(.unmap(UnmapOp(mapping: "m1", length: 128, direction: .toDevice)))
        #expect(TestMachine.classes(outcome) == [.unmapSizeMismatch])
        #expect(outcome.warnings.isEmpty, "dma-debug found a perfect fit (m2's entry) and printed nothing")
        let restored = try machine.engine.checkpointCopy()
        #expect(restored.dmaDebugEntries.values.flatMap { $0 }.map { restored.mappings[$0].handle } == ["m1"])
    }

    /// 7.x: `DMA_ATTR_UNMAP_VALID` attributes must match between map and unmap; 6.16
    /// did not check.
    @Test(arguments: [KernelVersion.v7_3, .v6_16])
    func unmapWithOtherAttributesThanTheMap(_ kernel: KernelVersion) {
        let machine = TestMachine(machine: MachineSpec(kernel: kernel))
        machine.mapAttrs("m1", phys: TestMachine.ram, len: 4096, dir: .toDevice, attrs: .privileged)
        machine.checkError("m1")
        let outcome = machine.unmap("m1", len: 4096, dir: .toDevice)
        #expect(outcome.reports(.unmapAttributeMismatch) == (kernel == .v7_3))
    }
}
