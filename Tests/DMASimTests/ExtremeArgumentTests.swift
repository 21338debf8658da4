import Testing
@testable import DMASim

/// Issue 21: no op traps, hangs or costs without bound, whatever its addresses and
/// lengths — values near 2^64, zero, a granule off, huge. Every call and access runs with
/// each extreme value in each of its address and length fields, on machines with coherent,
/// non-coherent, untrusted and dma-direct devices, after a state and a mapping were set
/// up; a trap fails the run, and the whole sweep takes a few seconds.
@Suite struct ExtremeArgumentTests {
    static let extremes: [UInt64] = [
        0, 1, 0xfff, 0x1000, 0x20_0000, 1 << 32, 1 << 44, (1 << 52) - 0x1000, 1 << 63,
        UInt64.max - 0x1fff, UInt64.max - 0xfff, UInt64.max - 1, UInt64.max,
    ]

    enum Setup: String, CaseIterable { case coherentLazy, nonCoherentStrict, untrusted, direct, blocksOff }

    /// A machine with a pool, a state `s1` linked 8K and a mapping `m1`, and the device to use.
    static func machine(_ setup: Setup) -> (engine: Engine, device: String) {
        let engine = Engine()
        let base = TestMachine.shared
        var ops: [Op] = [
            .region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)),
            .region(RegionSpec(name: "ram0", base: 0x100_0000, sizeBytes: 1 << 30, kind: .ram)),
            .swiotlb(SwiotlbSpec(sizeBytes: 256 << 10, base: 0x100_0000)),
        ]
        let device: DeviceSpec
        switch setup {
        case .coherentLazy:
            ops.append(.iommu(IOMMUSpec(name: "mmu0", mode: .lazy)))
            device = DeviceSpec(name: "d0", iommu: "mmu0")
        case .nonCoherentStrict:
            ops.append(.iommu(IOMMUSpec(name: "mmu0", mode: .strict, needsSyncMap: true)))
            device = DeviceSpec(name: "d0", iommu: "mmu0", coherent: false)
        case .untrusted:
            ops.append(.iommu(IOMMUSpec(name: "mmu0")))
            device = DeviceSpec(name: "d0", iommu: "mmu0", untrusted: true)
        case .direct:
            device = DeviceSpec(name: "d0", iommu: nil, coherent: false)
        case .blocksOff:
            ops.append(.iommu(IOMMUSpec(name: "mmu0", pageSizes: 4096)))
            device = DeviceSpec(name: "d0", iommu: "mmu0", coherent: false)
        }
        ops += [
            .device(device),
            .alloc(AllocOp(state: "s1", device: "d0", phys: base, sizeBytes: 8192)),
            .link(LinkOp(state: "s1", offset: 0, phys: base, length: 8192, direction: .bidirectional)),
            .map(MapOp(mapping: "m1", device: "d0", phys: 0x200_0000, length: 4096, direction: .bidirectional)),
            .cpuWrite(CPUWriteOp(phys: base, length: 256, fill: .byte(1))),
        ]
        for op in ops { _ = engine.apply(op) }
        return (engine, device.name)
    }

    /// Every op with one extreme value in place of an address or a length.
    static func extremeOps(device: String, value: UInt64) -> [Op] {
        let base = TestMachine.shared
        return [
            .alloc(AllocOp(state: "s2", device: device, phys: value, sizeBytes: 8192)),
            .alloc(AllocOp(state: "s3", device: device, phys: base, sizeBytes: value)),
            .link(LinkOp(state: "s1", offset: value, phys: base, length: 4096, direction: .bidirectional)),
            .link(LinkOp(state: "s1", offset: 0x2000, phys: value, length: 4096, direction: .bidirectional)),
            .link(LinkOp(state: "s1", offset: 0x2000, phys: base + 0x2000, length: value, direction: .fromDevice)),
            .link(LinkOp(state: "s1", offset: 0, phys: value, length: value, direction: .toDevice)),
            .sync(SyncOp(state: "s1", offset: value, length: 4096)),
            .sync(SyncOp(state: "s1", offset: 0, length: value)),
            .deviceWrite(DeviceWriteOp(device: device, address: .state("s1", offset: value), length: 4096, fill: .byte(2))),
            .deviceRead(DeviceReadOp(device: device, address: .state("s1", offset: 0), length: value)),
            .deviceWrite(DeviceWriteOp(device: device, address: .absolute(value), length: 4096, fill: .zero)),
            .deviceRead(DeviceReadOp(device: device, address: .mapping("m1", offset: value), length: value)),
            .unlink(UnlinkOp(state: "s1", offset: value, length: 4096, direction: .bidirectional)),
            .unlink(UnlinkOp(state: "s1", offset: 0x1000, length: value, direction: .bidirectional)),
            .map(MapOp(mapping: "m2", device: device, phys: value, length: 4096, direction: .fromDevice)),
            .map(MapOp(mapping: "m3", device: device, phys: base, length: value, direction: .bidirectional)),
            .map(MapOp(mapping: "m4", device: device, phys: value, length: value, direction: .toDevice)),
            .syncForCPU(StreamingSyncOp(mapping: "m1", offset: value, length: 4096, direction: .fromDevice)),
            .syncForDevice(StreamingSyncOp(mapping: "m1", offset: 0, length: value, direction: .bidirectional)),
            .syncForCPU(StreamingSyncOp(mapping: "m3", offset: value, length: value, direction: .bidirectional)),
            .unmap(UnmapOp(mapping: "m3", length: value, direction: .bidirectional)),
            .unmap(UnmapOp(mapping: "m1", length: value, direction: .bidirectional)),
            .cpuWrite(CPUWriteOp(phys: value, length: 4096, fill: .seed(3))),
            .cpuWrite(CPUWriteOp(phys: base, length: value, fill: .zero)),
            .cpuRead(CPUReadOp(phys: value, length: value)),
            .destroy(DestroyOp(state: "s1", mappedLength: value, direction: .bidirectional)),
            .destroy(DestroyOp(state: "s2", mappedLength: value, direction: .toDevice)),
            .free(FreeOp(state: "s3")),
            .flush(FlushOp(iommu: "mmu0")),
            .deviceRead(DeviceReadOp(device: device, address: .state("s1", offset: 0), length: 8192)),
        ]
    }

    @Test(arguments: Setup.allCases)
    func everyOpWithExtremeArgumentsFinishes(_ setup: Setup) throws {
        for value in Self.extremes {
            let (engine, device) = Self.machine(setup)
            for op in Self.extremeOps(device: device, value: value) {
                let outcome = engine.apply(op)
                // Accesses past the limit are refused, never run.
                if case .rejected(let reason) = outcome.status, reason.contains("one access moves at most") {
                    #expect(Self.accessLength(op) > Engine.accessLimitBytes)
                }
            }
            // The state the sweep left still encodes and decodes.
            let bytes = engine.encodeState()
            #expect(try Engine.decodingState(bytes).encodeState() == bytes)
        }
    }

    /// Declarations with extreme bases and sizes: refused with a reason or accepted, and the
    /// machine then runs ops that touch them.
    @Test func declarationsWithExtremeArgumentsFinish() {
        for base in Self.extremes {
            for size in Self.extremes {
                let engine = Engine()
                _ = engine.apply(.region(RegionSpec(name: "r0", base: base, sizeBytes: size, kind: .ram)))
                // Pools above 1 GiB are refused; 4 GiB stands in for a 2 MiB one, which is
                // declared (a whole 1 GiB pool is 512 Ki slots to set up, slow in debug).
                _ = engine.apply(.swiotlb(SwiotlbSpec(sizeBytes: size == 1 << 32 ? 1 << 21 : size, base: base)))
                _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0", pageSizes: size | 4096, apertureBits: 64)))
                _ = engine.apply(.device(DeviceSpec(name: "d0", iommu: "mmu0", untrusted: true)))
                _ = engine.apply(.alloc(AllocOp(state: "s1", device: "d0", phys: base, sizeBytes: size)))
                _ = engine.apply(.link(LinkOp(state: "s1", offset: 0, phys: base, length: size, direction: .bidirectional)))
                _ = engine.apply(.deviceRead(DeviceReadOp(device: "d0", address: .state("s1", offset: 0), length: min(size, 1 << 20))))
                _ = engine.apply(.map(MapOp(mapping: "m1", device: "d0", phys: base, length: size, direction: .bidirectional)))
                _ = engine.apply(.cpuRead(CPUReadOp(phys: base, length: min(size, 1 << 20))))
                _ = engine.apply(.destroy(DestroyOp(state: "s1", mappedLength: size, direction: .bidirectional)))
                _ = engine.apply(.unmap(UnmapOp(mapping: "m1", length: size, direction: .bidirectional)))
            }
        }
    }

    private static func accessLength(_ op: Op) -> UInt64 {
        switch op.call {
        case .cpuWrite(let access): return access.length
        case .cpuRead(let access): return access.length
        case .deviceWrite(let access): return access.length
        case .deviceRead(let access): return access.length
        default: return 0
        }
    }
}
