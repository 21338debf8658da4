import Testing
@testable import DMASim

/// Same ops, same outcomes, bit for bit: replay stands on it.
@Suite struct DeterminismTests {
    /// A seeded mix of every call kind, including misuse, run on two fresh engines.
    static func workload(seed: UInt64) -> [Op] {
        var random = SeededGenerator(seed: seed)
        var ops: [Op] = [
            .region(RegionSpec(name: "shm0", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .shared)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .lazy, flushQueueSlots: 16)),
            .device(DeviceSpec(name: "d0", iommu: "mmu0")),
            .device(DeviceSpec(name: "d1", iommu: "mmu0", coherent: false)),
        ]
        for index in 0..<400 {
            let device = index % 2 == 0 ? "d0" : "d1"
            let state = "s\(Int.random(in: 0..<20, using: &random))"
            let phys = 0x1000_0000_0000 + UInt64.random(in: 0..<(1 << 20), using: &random) * 4096
            let length = UInt64.random(in: 1...8, using: &random) * 4096
            switch Int.random(in: 0..<6, using: &random) {
            case 0: ops.append(.alloc(AllocOp(state: state, device: device, phys: phys, sizeBytes: length)))
            case 1: ops.append(.link(LinkOp(state: state, offset: 0, phys: phys, length: length, direction: .bidirectional)))
            case 2: ops.append(.deviceWrite(DeviceWriteOp(device: device, address: .state(state, offset: 0), length: 4096, fill: .seed(UInt64(index)))))
            case 3: ops.append(.destroy(DestroyOp(state: state, mappedLength: length, direction: .bidirectional)))
            case 4: ops.append(.deviceRead(DeviceReadOp(device: device, address: .state(state, offset: 0), length: 4096)))
            default: ops.append(.flush(FlushOp(iommu: "mmu0")))
            }
        }
        return ops
    }

    @Test func twoEnginesGiveIdenticalOutcomes() {
        let ops = Self.workload(seed: 42)
        let first = Engine().apply(ops)
        let second = Engine().apply(ops)
        #expect(first == second)
        // The workload must exercise more than rejections to mean anything.
        #expect(first.filter { $0.status == .ok }.count > 100)
        #expect(first.contains { !$0.findings.isEmpty })
        #expect(first.contains { $0.fault != nil })
    }

    /// Bounces, the cache model and the streaming checks: an untrusted device with
    /// unaligned links, a non-coherent dma-direct device mapping beyond its mask through
    /// swiotlb, CPU traffic over the same buffers.
    static func bounceWorkload(seed: UInt64) -> [Op] {
        var random = SeededGenerator(seed: seed)
        var ops: [Op] = [
            // RAM the kernel maps: swiotlb can copy it (a bounce of shared memory oopses).
            .region(RegionSpec(name: "ram1", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .ram)),
            .swiotlb(SwiotlbSpec(sizeBytes: 1 << 20)),
            .iommu(IOMMUSpec(name: "mmu0", mode: .lazy, flushQueueSlots: 16)),
            .device(DeviceSpec(name: "tb0", iommu: "mmu0", coherent: false, untrusted: true, minAlignMask: 0xFFF)),
            .device(DeviceSpec(name: "dsp0", iommu: nil, dmaBits: 32, coherent: false)),
        ]
        let directions: [DMADirection] = [.toDevice, .fromDevice, .bidirectional]
        for index in 0..<600 {
            let handle = "h\(Int.random(in: 0..<12, using: &random))"
            let phys = 0x1000_0000_0000 + UInt64.random(in: 0..<(1 << 16), using: &random) * 64
            let length = UInt64.random(in: 1...64, using: &random) * 64
            let direction = directions[Int.random(in: 0..<3, using: &random)]
            switch Int.random(in: 0..<9, using: &random) {
            case 0: ops.append(.alloc(AllocOp(state: handle, device: "tb0", phys: phys, sizeBytes: length)))
            case 1: ops.append(.link(LinkOp(state: handle, offset: 0, phys: phys, length: length, direction: direction)))
            case 2: ops.append(.unlink(UnlinkOp(state: handle, offset: 0, length: length, direction: direction)))
            case 3: ops.append(.map(MapOp(mapping: "m" + handle, device: "dsp0", phys: phys, length: length, direction: direction)))
            case 4: ops.append(.unmap(UnmapOp(mapping: "m" + handle, length: length, direction: direction)))
            case 5: ops.append(.syncForCPU(StreamingSyncOp(mapping: "m" + handle, offset: 0, length: length, direction: direction)))
            case 6: ops.append(.cpuWrite(CPUWriteOp(phys: phys, length: length, fill: .seed(UInt64(index)))))
            case 7: ops.append(.cpuRead(CPUReadOp(phys: phys, length: length)))
            default: ops.append(.deviceWrite(DeviceWriteOp(device: index % 2 == 0 ? "tb0" : "dsp0",
                address: index % 2 == 0 ? .state(handle, offset: 0) : .mapping("m" + handle, offset: 0),
                length: length, fill: .seed(UInt64(index)))))
            }
        }
        return ops
    }

    @Test func bounceAndCacheWorkloadIsDeterministic() {
        let ops = Self.bounceWorkload(seed: 7)
        let first = Engine().apply(ops)
        #expect(first == Engine().apply(ops))
        #expect(first.contains { $0.events.contains { $0.kind == .bounceToDevice } })
        #expect(first.contains { $0.events.contains { $0.kind == .cacheInvalidate } })
        #expect(first.contains { $0.reports(.cpuAccessDeviceOwned) })
    }
}
