import Benchmark
import DMASim
import Foundation
import Journal
import Replay
import Snapshot
import Workloads

/// The work around the engine: memory snapshots and restores, journal replay, and bisect.
/// Throughput is per iteration; each name says what one iteration is, so MB/s = snapshots
/// per second × 64 and ops/s = replays per second × the journal's op count (printed in
/// the name). The journals are recorded once per process, before anything is measured.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident], scalingFactor: .one, maxDuration: .seconds(5))

    Benchmark("snapshot of a 64 MiB mixed image (× 64 = MB/s)") { benchmark in
        let image = MixedImage(mebibytes: 64)
        benchmark.startMeasurement()
        blackHole(try Snapshotter().capture(image.engine, into: InMemoryChunkStore()))
    }

    Benchmark("restore of a 64 MiB mixed image into empty memory (× 64 = MB/s)") { benchmark in
        let image = MixedImage(mebibytes: 64)
        let store = InMemoryChunkStore()
        let (manifest, _) = try Snapshotter().capture(image.engine, into: store)
        let target = MixedImage.emptyEngine()
        benchmark.startMeasurement()
        blackHole(try Snapshotter().restore(manifest, from: store, into: target))
    }

    Benchmark("replay of a \(RecordedJournals.opCount)-op nvme journal") { _ in
        let result = try Replayer(reader: JournalReader(path: RecordedJournals.clean)).replay()
        precondition(result.divergence == nil, "the benchmark journal replays identically")
        blackHole(result)
    }

    Benchmark("bisect --until finding on a \(RecordedJournals.opCount)-op nvme journal, a double free half way") { _ in
        let result = try Bisector(reader: JournalReader(path: RecordedJournals.injected)).bisect(.finding(nil))
        guard case .firstBad = result.verdict else { preconditionFailure("the injected double free is found") }
        blackHole(result)
    }
}

/// A memory image in a 1 TiB shared region: a third zero, a third patterned (64-byte
/// records), a third random, mixed page by page (no 64 KiB chunk is all zero).
struct MixedImage {
    static let base: UInt64 = 0x1000_0000_0000
    let engine = MixedImage.emptyEngine()

    init(mebibytes: UInt64) {
        let record = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for page in 0..<(mebibytes * 256) {
            let fill: Fill = page % 3 == 0 ? .zero : (page % 3 == 1 ? .pattern(record) : .seed(page))
            _ = engine.apply(.cpuWrite(CPUWriteOp(phys: Self.base + page * 4096, length: 4096, fill: fill)))
        }
    }

    static func emptyEngine() -> Engine {
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        return engine
    }
}

/// Two nvme journals written once per process: one clean, one with a double free
/// injected half way, for bisect.
enum RecordedJournals {
    static let opCount = 20_000
    static let clean = record("clean", injections: [])
    static let injected = record("injected", injections: [InjectionSpec(.doubleFree, trigger: .atStep(opCount / 2))])

    static func record(_ name: String, injections: [InjectionSpec]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-bench-\(name)-\(getpid()).db").path
        try? FileManager.default.removeItem(atPath: path)
        do {
            let engine = Engine()
            let options = WorkloadOptions(seed: 1, opCount: opCount, injections: injections)
            let writer = try JournalWriter(path: path, run: RunInfo(toolVersion: "bench", source: "nvme", createdAt: "2026-01-01T00:00:00Z"))
            for (sequence, step) in try WorkloadKind.nvme.generator.steps(options).enumerated() {
                try writer.record(step.op, outcome: engine.apply(step.op), sequence: sequence, sourceLine: nil)
            }
            try writer.finish()
        } catch {
            fatalError("recording the benchmark journal \(path): \(error)")
        }
        return path
    }
}
