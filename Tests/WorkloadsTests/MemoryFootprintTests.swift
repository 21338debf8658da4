@testable import DMASim
import Testing
@testable import Workloads

/// A workload over a 1 TiB region touches memory all over it, but only a bounded set of
/// pages: the engine's memory stays sparse however long the run.
@Suite struct MemoryFootprintTests {
    @Test func aLongRunStaysSparseAndScattered() throws {
        let stream = try WorkloadKind.mixed.generator.steps(WorkloadOptions(opCount: 20_000))
        let engine = Engine()
        var lowest = UInt64.max, highest: UInt64 = 0
        for step in stream {
            _ = engine.apply(step.op)
            guard case .cpuWrite(let write) = step.op.call, write.phys >= WorkloadTopology.sharedBase else { continue }
            lowest = min(lowest, write.phys)
            highest = max(highest, write.phys)
        }
        let touchedBytes = UInt64(engine.memory.store.touchedPageCount) * 4096
        #expect(touchedBytes < 256 << 20, "touched \(touchedBytes >> 20) MiB")
        #expect(highest - lowest > WorkloadOptions.defaultRegionSizeBytes / 2, "writes span only \((highest - lowest) >> 30) GiB")
    }

    @Test func poolsAreSizedForEveryRequestInFlight() throws {
        let (context, _) = try BufferShapeTests.context(.mixed)
        let devices = try WorkloadKind.mixed.generator.steps(WorkloadOptions()).topology.devices
        #expect(context.pools.slots.capacity == devices.reduce(0) { $0 + $1.inFlight * $1.slotsPerRequest })
        #expect(context.pools.pages.capacity == devices.reduce(0) { $0 + $1.inFlight * $1.odpPagesPerRegion })
    }
}
