import DMASim

/// Op lists the journal tests record. Each reads like the op script it models.
enum Scenarios {
    static let shared: UInt64 = 0x1000_0000_0000
    static let ram: UInt64 = 0x1000_0000

    static let machine: [Op] = [
        .region(RegionSpec(name: "shm0", base: shared, sizeBytes: 1 << 40, kind: .shared)),
        .region(RegionSpec(name: "ram0", base: ram, sizeBytes: 1 << 32, kind: .ram)),
        .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
    ]

    /// Every op kind at least once, every `DeviceAddress` form and `Fill`, attributes,
    /// errors, faults, findings, warnings and rejections.
    static let everyKind: [Op] = [
        .region(RegionSpec(name: "shm0", base: shared, sizeBytes: 1 << 40, kind: .shared)),
        .region(RegionSpec(name: "ram0", base: ram, sizeBytes: 1 << 32, kind: .ram)),
        .region(RegionSpec(name: "bar0", base: 0x3_0000_0000, sizeBytes: 1 << 20, kind: .mmio)),
        .iommu(IOMMUSpec(name: "mmu0", mode: .strict, reservedRanges: [0xFEE0_0000...0xFEEF_FFFF, 0x1_0000...0x1_FFFF])),
        .iommu(IOMMUSpec(name: "vmmu", mode: .lazy, granuleBytes: 16384, apertureBits: 40, needsSyncMap: true,
                         flushQueueSlots: 512, forceDAC: true, explicitFlushTimer: true)),
        .iommu(IOMMUSpec(name: "pt0", mode: .passthrough)),
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
        .device(DeviceSpec(name: "nic0", iommu: "vmmu", dmaBits: 48, coherent: false, untrusted: true, bus: .platform, group: "g1")),
        .device(DeviceSpec(name: "old0", iommu: nil, dmaBits: 32)),
        .swiotlb(SwiotlbSpec(sizeBytes: 64 << 20, force: false)),
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),  // rejected: declared twice
        .alloc(AllocOp(state: "s1", device: "nvme0", phys: shared, sizeBytes: 65536)),
        .link(LinkOp(state: "s1", offset: 0, phys: shared, length: 16384, direction: .toDevice, attributes: [.skipCPUSync, .weakOrdering])),
        .sync(SyncOp(state: "s1", offset: 0, length: 16384)),
        .deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s1", offset: 0x200), length: 4096, fill: .seed(7))),  // permission fault
        .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)),
        .link(LinkOp(state: "s1", offset: 4096, phys: shared + 0x200, length: 4096, direction: .toDevice)),  // -EIO
        .unlink(UnlinkOp(state: "s1", offset: 0, length: 16384, direction: .toDevice)),
        .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)),  // fault after unlink
        .destroy(DestroyOp(state: "s1", mappedLength: 0, direction: .toDevice)),
        .free(FreeOp(state: "s1")),  // double release
        .alloc(AllocOp(state: "s9", device: "old0", phys: ram, sizeBytes: 4096)),  // fallback: no IOMMU
        .alloc(AllocOp(state: "s2", device: "nic0", phys: shared + 0x10000, sizeBytes: 32768)),
        .link(LinkOp(state: "s2", offset: 0, phys: shared + 0x10000, length: 32768, direction: .bidirectional, attributes: [.privileged])),
        .deviceWrite(DeviceWriteOp(device: "nic0", address: .state("s2", offset: 0), length: 4096, fill: .zero)),  // not synced
        .map(MapOp(mapping: "m1", device: "old0", phys: ram + 0x2000, length: 8192, direction: .fromDevice)),
        .mappingError(MappingErrorOp(mapping: "m1")),
        .syncForCPU(StreamingSyncOp(mapping: "m1", offset: 0, length: 8192, direction: .fromDevice)),
        .syncForDevice(StreamingSyncOp(mapping: "m1", offset: 4096, length: 4096, direction: .toDevice)),
        .deviceWrite(DeviceWriteOp(device: "old0", address: .mapping("m1", offset: 16), length: 4096, fill: .pattern([0xDE, 0xAD, 0x00, 0x0F]))),
        .deviceRead(DeviceReadOp(device: "old0", address: .absolute(ram + 0x2000), length: 4096)),
        .unmap(UnmapOp(mapping: "m1", length: 4096, direction: .toDevice)),  // size and direction mismatch
        // Beyond the 32-bit mask and larger than one swiotlb bounce (128 slots, 256 KiB):
        // DMA_MAPPING_ERROR even with the pool.
        .map(MapOp(mapping: "m2", device: "old0", phys: 0x2_0000_0000, length: 1 << 20, direction: .toDevice)),
        .cpuWrite(CPUWriteOp(phys: ram, length: 4096, fill: .byte(0xAB))),
        .cpuWrite(CPUWriteOp(phys: ram + 4096, length: 100, fill: .seed(UInt64.max))),
        .cpuRead(CPUReadOp(phys: ram, length: 8192)),
        .flush(FlushOp(iommu: "vmmu", device: "nic0", ranAt: 0)),
        .checkpoint(CheckpointOp(name: "c1")),
        .verify(VerifyOp(name: "c1")),
        .alloc(AllocOp(state: "s3", device: "nvme0", phys: shared, sizeBytes: 8192)),
        .detach(DetachOp(device: "nvme0")),  // s3 leaks
        .deviceRead(DeviceReadOp(device: "nvme0", address: .absolute(0x1000), length: 64)),  // rejected: detached
        // Shared memory beyond the 32-bit mask: swiotlb_map's copy of it oopses.
        .map(MapOp(mapping: "m3", device: "old0", phys: shared + 0x100, length: 0x200, direction: .toDevice)),
        Op(.advance(AdvanceOp(nanoseconds: 10_000_000)), time: 2_500_000),  // to 2.5 ms, then 10 ms on
        Op(.machine(MachineSpec(kernel: .v6_16, cpuCount: 2)), time: 20_000_000),  // rejected: after the topology
    ]

    /// A declared machine, ops on several CPUs with kernel timestamps, an `advance`, and
    /// the two placements the engine refuses: a CPU that is not online, a time before the
    /// clock.
    static let timed: [Op] = [
        Op(.machine(MachineSpec(arch: .arm64, kernel: .v6_16, cpuCount: 4, hz: 1000))),
        .region(RegionSpec(name: "shm0", base: shared, sizeBytes: 1 << 40, kind: .shared)),
        .iommu(IOMMUSpec(name: "mmu0", mode: .lazy)),
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),
        Op(.alloc(AllocOp(state: "s1", device: "nvme0", phys: shared, sizeBytes: 8192)), cpu: 2, time: 1_000_000),
        Op(.link(LinkOp(state: "s1", offset: 0, phys: shared, length: 8192, direction: .toDevice)), cpu: 2, time: 1_000_250),
        Op(.sync(SyncOp(state: "s1", offset: 0, length: 8192)), cpu: 3, time: 1_000_500),
        Op(.destroy(DestroyOp(state: "s1", mappedLength: 8192, direction: .toDevice)), cpu: 1, time: 2_000_000),
        Op(.advance(AdvanceOp(nanoseconds: 20_000_000)), cpu: 0),
        Op(.deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 64)), cpu: 4),  // rejected
        Op(.deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 64)), time: 1_000_000),  // rejected
    ]

    /// An NVMe-like I/O stream on one strict IOMMU: per I/O, try_alloc, `linksPerIO`
    /// 4 KiB links of scattered pages, one sync, a device write and read, destroy.
    static func nvmeLike(ios: Int, linksPerIO: Int = 4) -> [Op] {
        var ops = machine
        var generator = SeededGenerator(seed: 1)
        for io in 0..<ios {
            let state = "s\(io)"
            let size = UInt64(linksPerIO) * 4096
            let base = shared + (generator.next() % (1 << 28)) * 4096
            ops.append(.alloc(AllocOp(state: state, device: "nvme0", phys: base, sizeBytes: size)))
            for link in 0..<linksPerIO {
                let page = shared + (generator.next() % (1 << 28)) * 4096
                ops.append(.link(LinkOp(state: state, offset: UInt64(link) * 4096, phys: page, length: 4096, direction: .bidirectional)))
            }
            ops.append(.sync(SyncOp(state: state, offset: 0, length: size)))
            ops.append(.deviceWrite(DeviceWriteOp(device: "nvme0", address: .state(state, offset: 0), length: 4096, fill: .seed(UInt64(io)))))
            ops.append(.deviceRead(DeviceReadOp(device: "nvme0", address: .state(state, offset: 0), length: 4096)))
            ops.append(.destroy(DestroyOp(state: state, mappedLength: size, direction: .bidirectional)))
        }
        return ops
    }
}

extension Scenarios {
    /// The journal docs/queries.md is written against; the document shows it as an op
    /// script. Comments give each op's seq.
    static let docsExample: [Op] = [
        .region(RegionSpec(name: "shm0", base: shared, sizeBytes: 1 << 40, kind: .shared)),  // 0
        .iommu(IOMMUSpec(name: "mmu0", mode: .strict)),  // 1
        .iommu(IOMMUSpec(name: "mmu1", mode: .lazy)),  // 2
        .device(DeviceSpec(name: "nvme0", iommu: "mmu0")),  // 3
        .device(DeviceSpec(name: "nic0", iommu: "mmu1")),  // 4
        Op(.alloc(AllocOp(state: "s1", device: "nvme0", phys: shared, sizeBytes: 16384)), time: 1_000_000_000),  // 5
        Op(.link(LinkOp(state: "s1", offset: 0, phys: shared, length: 8192, direction: .toDevice)), time: 1_000_004_000),  // 6
        Op(.link(LinkOp(state: "s1", offset: 8192, phys: shared + 0x10000, length: 8192, direction: .toDevice)), time: 1_000_008_000),  // 7
        Op(.sync(SyncOp(state: "s1", offset: 0, length: 16384)), time: 1_000_010_000),  // 8
        Op(.deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)), time: 1_000_250_000),  // 9
        Op(.destroy(DestroyOp(state: "s1", mappedLength: 16384, direction: .toDevice)), time: 1_000_500_000),  // 10
        Op(.deviceRead(DeviceReadOp(device: "nvme0", address: .state("s1", offset: 0), length: 4096)), time: 1_000_750_000),  // 11: use after unmap
        .alloc(AllocOp(state: "s2", device: "nvme0", phys: shared + 0x20000, sizeBytes: 16384)),  // 12
        .link(LinkOp(state: "s2", offset: 0, phys: shared + 0x20000, length: 16384, direction: .fromDevice)),  // 13
        .deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s2", offset: 0), length: 4096, fill: .seed(7))),  // 14
        .deviceRead(DeviceReadOp(device: "nvme0", address: .state("s2", offset: 0x1000), length: 512)),  // 15: permission
        .unlink(UnlinkOp(state: "s2", offset: 0, length: 16384, direction: .fromDevice)),  // 16
        .free(FreeOp(state: "s2")),  // 17
        .map(MapOp(mapping: "m1", device: "nic0", phys: shared + 0x30000, length: 8192, direction: .bidirectional)),  // 18
        .deviceWrite(DeviceWriteOp(device: "nic0", address: .mapping("m1", offset: 0), length: 4096, fill: .byte(0xAB))),  // 19
        .unmap(UnmapOp(mapping: "m1", length: 8192, direction: .bidirectional)),  // 20: map error unchecked
        .flush(FlushOp(iommu: "mmu1")),  // 21
        .alloc(AllocOp(state: "s3", device: "nic0", phys: shared + 0x40000, sizeBytes: 8192)),  // 22
        .link(LinkOp(state: "s3", offset: 0, phys: shared + 0x40000, length: 8192, direction: .bidirectional)),  // 23
        .detach(DetachOp(device: "nic0")),  // 24: s3 leaks
        .deviceRead(DeviceReadOp(device: "nvme0", address: .absolute(0x10000), length: 64)),  // 25: never mapped
    ]

    /// The snapshots docs/queries.md shows: around the two device writes (seq 14, 19),
    /// and one more at the end that adds no chunk.
    static let docsSnapshots: [Recording.SnapshotPoint] = [
        .init(after: 13, name: "before-io", kind: .checkpoint),
        .init(after: 19, name: "after-io", kind: .checkpoint),
        .init(after: 25, name: "end", kind: .snapshot),
    ]
}
