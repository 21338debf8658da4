import Benchmark
import DMASim

/// Engine API calls per second. Each benchmark iteration is one cycle; the throughput
/// metric counts cycles, so API calls per second = cycles/s × calls per cycle (3 for
/// link+sync+unlink, 4 for alloc+link+sync+destroy). The closure runs once per sample,
/// so each one builds its engine first and starts the measurement after.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    for mode in [IOMMUMode.strict, .lazy] {
        Benchmark("link+sync+unlink 4K (\(mode.rawValue)), 3 calls") { benchmark in
            let engine = EngineFixture.make(mode: mode)
            _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: EngineFixture.base, sizeBytes: 1 << 30)))
            let link = Op.link(LinkOp(state: "s", offset: 0, phys: EngineFixture.base, length: 4096, direction: .bidirectional))
            let sync = Op.sync(SyncOp(state: "s", offset: 0, length: 4096))
            let unlink = Op.unlink(UnlinkOp(state: "s", offset: 0, length: 4096, direction: .bidirectional))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(engine.apply(link))
                blackHole(engine.apply(sync))
                blackHole(engine.apply(unlink))
            }
        }

        Benchmark("alloc+link+sync+destroy 4K (\(mode.rawValue)), 4 calls") { benchmark in
            let engine = EngineFixture.make(mode: mode)
            let ops = EngineFixture.requestCycle(length: 4096)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for op in ops { blackHole(engine.apply(op)) }
            }
        }
    }

    Benchmark("link+unlink 2M, 2 calls", configuration: .init(scalingFactor: .one)) { benchmark in
        let engine = EngineFixture.make(mode: .strict)
        _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: EngineFixture.base, sizeBytes: 1 << 30)))
        let link = Op.link(LinkOp(state: "s", offset: 0, phys: EngineFixture.base, length: 2 << 20, direction: .bidirectional))
        let unlink = Op.unlink(UnlinkOp(state: "s", offset: 0, length: 2 << 20, direction: .bidirectional))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(engine.apply(link))
            blackHole(engine.apply(unlink))
        }
    }

    // Issue 15: a 1 GiB link at 1 GiB aligned IOVA and physical addresses is one block
    // PTE where the IOMMU's pgsize_bitmap has 1G (iommu_pgsize()), not 262,144 granule
    // PTEs. Benchmarks/baselines/link-unlink-1G.txt has the figure from before block PTEs.
    Benchmark("link+unlink 1G aligned, 2 calls", configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        let engine = EngineFixture.make(mode: .strict)
        _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: EngineFixture.base, sizeBytes: 1 << 30)))
        let link = Op.link(LinkOp(state: "s", offset: 0, phys: EngineFixture.base, length: 1 << 30, direction: .bidirectional))
        let unlink = Op.unlink(UnlinkOp(state: "s", offset: 0, length: 1 << 30, direction: .bidirectional))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(engine.apply(link))
            blackHole(engine.apply(unlink))
        }
    }

    CallBenchmarks.register()

    Benchmark("device write 64K through the IOMMU", configuration: .init(
        metrics: [.throughput, .wallClock], scalingFactor: .kilo)) { benchmark in
        let engine = EngineFixture.make(mode: .strict)
        _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: EngineFixture.base, sizeBytes: 1 << 20)))
        _ = engine.apply(.link(LinkOp(state: "s", offset: 0, phys: EngineFixture.base, length: 1 << 20, direction: .bidirectional)))
        let write = Op.deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s", offset: 0), length: 65536, fill: .seed(1)))
        _ = engine.apply(write)  // first touch allocates the backing pages
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(engine.apply(write)) }
    }
}

enum EngineFixture {
    static let base: UInt64 = 0x1000_0000_0000

    static func make(mode: IOMMUMode) -> Engine {
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0", mode: mode)))
        _ = engine.apply(.device(DeviceSpec(name: "nvme0", iommu: "mmu0")))
        return engine
    }

    /// try_alloc, link, sync, destroy: one block request's life.
    static func requestCycle(length: UInt64) -> [Op] {
        [
            .alloc(AllocOp(state: "r", device: "nvme0", phys: base, sizeBytes: length)),
            .link(LinkOp(state: "r", offset: 0, phys: base, length: length, direction: .toDevice)),
            .sync(SyncOp(state: "r", offset: 0, length: length)),
            .destroy(DestroyOp(state: "r", mappedLength: length, direction: .toDevice)),
        ]
    }
}
