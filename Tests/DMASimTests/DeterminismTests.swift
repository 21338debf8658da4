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
}
