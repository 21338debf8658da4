import Benchmark
import DMASim

/// The engine's link+unlink beside the naive Dictionary page table, in one run, so the
/// ratio is measured on the same machine at the same moment.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(3))

    Benchmark("baseline: Dictionary page table map+unmap 4K") { benchmark in
        var table = NaivePageTable()
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let page = 0xFFFFF - UInt64(iteration & 0xFF)
            blackHole(table.map(firstPage: page, phys: 0x1000_0000_0000, count: 1, prot: 3))
            blackHole(table.unmap(firstPage: page, count: 1))
        }
    }

    Benchmark("engine: link+unlink 4K (strict)") { benchmark in
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: 0x1000_0000_0000, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0")))
        _ = engine.apply(.device(DeviceSpec(name: "nvme0", iommu: "mmu0")))
        _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: 0x1000_0000_0000, sizeBytes: 1 << 20)))
        let links = (0..<256).map { Op.link(LinkOp(state: "s", offset: UInt64($0) << 12, phys: 0x1000_0000_0000, length: 4096, direction: .bidirectional)) }
        let unlinks = (0..<256).map { Op.unlink(UnlinkOp(state: "s", offset: UInt64($0) << 12, length: 4096, direction: .bidirectional)) }
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            blackHole(engine.apply(links[iteration & 0xFF]))
            blackHole(engine.apply(unlinks[iteration & 0xFF]))
        }
    }
}
