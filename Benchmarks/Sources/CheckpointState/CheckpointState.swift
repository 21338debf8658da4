import DMASim
import Foundation
import Workloads

/// Size of an engine state and the time to encode and decode it (`encodeState`,
/// `decodingState`; page contents are not in it), for two engines:
///
///     CheckpointState mappings [N]          N live 4 KiB two-step mappings (default 100,000),
///                                           spread over a 1 TiB shared region
///     CheckpointState workload KIND [OPS]   a KIND workload of OPS ops (default nvme, 1,000,000),
///                                           stopped half way through
///
/// Encode and decode are each timed over several runs and the median printed; the decoded
/// state is re-encoded and compared, so the figures are for a state that round-trips.
@main
struct CheckpointState {
    static func main() throws {
        let arguments = CommandLine.arguments
        let engine: Engine
        let label: String
        switch arguments.count > 1 ? arguments[1] : "mappings" {
        case "workload":
            let kind = WorkloadKind(rawValue: arguments.count > 2 ? arguments[2] : "nvme")!
            let ops = arguments.count > 3 ? Int(arguments[3])! : 1_000_000
            engine = try workloadEngine(kind, ops: ops)
            label = "\(kind.rawValue) workload of \(ops) ops, after \(engine.appliedCount) ops"
        default:
            let count = arguments.count > 2 ? Int(arguments[2])! : 100_000
            engine = mappingsEngine(count)
            label = "\(count) live 4 KiB mappings"
        }
        measure(engine, label: label)
    }

    static func mappingsEngine(_ count: Int) -> Engine {
        let engine = Engine()
        let base: UInt64 = 0x1000_0000_0000
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0")))
        _ = engine.apply(.device(DeviceSpec(name: "nvme0", iommu: "mmu0")))
        for index in 0..<count {
            // Spread the physical pages over the whole region, as MemoryFootprint does.
            let phys = base + ((UInt64(index) &* 0x9E37_79B9) % (1 << 28)) << 12
            let state = "s\(index)"
            _ = engine.apply(.alloc(AllocOp(state: state, device: "nvme0", phys: phys, sizeBytes: 4096)))
            _ = engine.apply(.link(LinkOp(state: state, offset: 0, phys: phys, length: 4096, direction: .bidirectional)))
        }
        return engine
    }

    static func workloadEngine(_ kind: WorkloadKind, ops: Int) throws -> Engine {
        let engine = Engine()
        for step in try kind.generator.steps(WorkloadOptions(seed: 1, opCount: ops)).prefix(ops / 2) {
            _ = engine.apply(step.op)
        }
        return engine
    }

    static func measure(_ engine: Engine, label: String) {
        var bytes: [UInt8] = []
        let encodeTimes = (0..<7).map { _ in timed { bytes = engine.encodeState() } }
        var decoded: Engine?
        let decodeTimes = (0..<7).map { _ in timed { decoded = try! Engine.decodingState(bytes) } }
        precondition(decoded!.encodeState() == bytes, "the decoded state re-encodes differently")
        print("\(label): state \(bytes.count) bytes (\(String(format: "%.2f", Double(bytes.count) / 1_048_576)) MiB), "
              + "\(engine.touchedPages().count) pages written (not in the state)")
        print("  encode \(report(encodeTimes)); decode \(report(decodeTimes)) (median of 7, wall / CPU)")
    }

    /// Wall-clock and thread CPU seconds of `body`: on a shared machine the CPU time is
    /// the steadier figure.
    static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        let clock = ContinuousClock()
        let cpuBefore = threadCPUSeconds()
        let wall = clock.measure(body)
        return (seconds(wall), threadCPUSeconds() - cpuBefore)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func report(_ times: [(wall: Double, cpu: Double)]) -> String {
        "\(milliseconds(median(times.map(\.wall)))) / \(milliseconds(median(times.map(\.cpu)))) ms"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
