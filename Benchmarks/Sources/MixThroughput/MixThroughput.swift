import DMASim

/// Engine throughput on one op stream, run on two machines that differ only in the
/// device: coherent and trusted (no cache model, no bounces: the fast path) against
/// non-coherent and untrusted with a swiotlb pool (cache model on, unaligned buffers
/// bounced). Each cycle is one two-step request and one streaming mapping over a buffer
/// that is granule aligned every other cycle. The two machines run in turn, `rounds`
/// times each, and the best round of each counts (the machine is shared; the best round
/// is the one least disturbed). Usage: MixThroughput [cycles] [rounds]
@main
struct MixThroughput {
    static let base: UInt64 = 0x1000_0000_0000

    static func main() {
        let arguments = CommandLine.arguments
        let cycles = arguments.count > 1 ? Int(arguments[1])! : 100_000
        let rounds = arguments.count > 2 ? Int(arguments[2])! : 5
        let ops = (0..<cycles).flatMap(cycle)
        var coherent = (opsPerSecond: 0.0, bounces: 0, cacheEvents: 0)
        var mixed = coherent
        for _ in 0..<rounds {
            let fast = run(ops, device: DeviceSpec(name: "dev0", iommu: "mmu0"))
            if fast.opsPerSecond > coherent.opsPerSecond { coherent = fast }
            let slow = run(ops, device: DeviceSpec(name: "dev0", iommu: "mmu0", coherent: false, untrusted: true))
            if slow.opsPerSecond > mixed.opsPerSecond { mixed = slow }
        }
        print("ops: \(ops.count) (\(cycles) cycles of \(ops.count / cycles))")
        print("coherent, trusted:       \(format(coherent.opsPerSecond)) ops/s, bounces \(coherent.bounces)")
        print("non-coherent, untrusted: \(format(mixed.opsPerSecond)) ops/s, bounces \(mixed.bounces), cache events \(mixed.cacheEvents)")
        print("ratio (coherent / mixed): \(format(coherent.opsPerSecond / mixed.opsPerSecond))")
    }

    static func cycle(_ index: Int) -> [Op] {
        let unaligned = index % 2 == 1
        let phys = base + UInt64(index % 4096) << 16 + (unaligned ? 0x100 : 0)
        let length: UInt64 = unaligned ? 0x1E00 : 0x2000
        let state = "s\(index % 64)", mapping = "m\(index % 64)"
        return [
            .cpuWrite(CPUWriteOp(phys: phys, length: length, fill: .seed(UInt64(index)))),
            .alloc(AllocOp(state: state, device: "dev0", phys: phys, sizeBytes: length)),
            .link(LinkOp(state: state, offset: 0, phys: phys, length: length, direction: .bidirectional)),
            .sync(SyncOp(state: state, offset: 0, length: length)),
            .deviceRead(DeviceReadOp(device: "dev0", address: .state(state, offset: 0), length: length)),
            .deviceWrite(DeviceWriteOp(device: "dev0", address: .state(state, offset: 0), length: length, fill: .seed(1))),
            .destroy(DestroyOp(state: state, mappedLength: length, direction: .bidirectional)),
            .cpuRead(CPUReadOp(phys: phys, length: length)),
            .map(MapOp(mapping: mapping, device: "dev0", phys: phys, length: length, direction: .fromDevice)),
            .mappingError(MappingErrorOp(mapping: mapping)),
            .deviceWrite(DeviceWriteOp(device: "dev0", address: .mapping(mapping, offset: 0), length: length, fill: .seed(2))),
            .syncForCPU(StreamingSyncOp(mapping: mapping, offset: 0, length: length, direction: .fromDevice)),
            .cpuRead(CPUReadOp(phys: phys, length: length)),
            .unmap(UnmapOp(mapping: mapping, length: length, direction: .fromDevice)),
        ]
    }

    static func run(_ ops: [Op], device: DeviceSpec) -> (opsPerSecond: Double, bounces: Int, cacheEvents: Int) {
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.swiotlb(SwiotlbSpec(sizeBytes: 64 << 20)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0")))
        _ = engine.apply(.device(device))
        var bounces = 0, cacheEvents = 0
        let clock = ContinuousClock()
        let started = clock.now
        for op in ops {
            let outcome = engine.apply(op)
            for event in outcome.events {
                if event.kind == .bounceToDevice || event.kind == .bounceToCPU { bounces += 1 }
                if event.kind == .cacheClean || event.kind == .cacheInvalidate { cacheEvents += 1 }
            }
        }
        let seconds = (clock.now - started) / .seconds(1)
        return (Double(ops.count) / seconds, bounces, cacheEvents)
    }

    /// Two decimals, without Foundation.
    static func format(_ value: Double) -> String {
        let hundredths = Int(value * 100)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
