import Benchmark
import DMASim
import Foundation
import Journal
import Workloads

/// Journal inserts per second: nvme-workload ops with their real outcomes, recorded by the
/// JournalWriter (prepared statements, batched WAL transactions) into a fresh file. The
/// engine runs before the measurement; only the writer is timed.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(5))

    Benchmark("journal: record nvme ops (1000 a sample)") { benchmark in
        let engine = Engine()
        let stream = try WorkloadKind.nvme.generator.steps(WorkloadOptions(seed: 1, opCount: benchmark.scaledIterations.count))
        let recorded = stream.prefix(benchmark.scaledIterations.count).map { ($0.op, engine.apply($0.op)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try JournalWriter(path: path, run: RunInfo(toolVersion: "bench", source: "nvme", createdAt: "2026-01-01T00:00:00Z"))
        benchmark.startMeasurement()
        for (sequence, entry) in recorded.enumerated() {
            try writer.record(entry.0, outcome: entry.1, sequence: sequence, sourceLine: nil)
        }
        try writer.finish()
    }
}
