import DMASim
import Foundation
import Journal
import Workloads

/// The journal's insert rate on its own: an nvme workload is run through the engine first
/// (outcomes kept in memory), then only the JournalWriter is timed. The journal it leaves
/// is what Benchmarks/baselines/sqlite_insert re-inserts for the C baseline.
/// Usage: JournalThroughput [ops] [journal-path]
@main
struct JournalThroughput {
    static func main() throws {
        let arguments = CommandLine.arguments
        let opCount = arguments.count > 1 ? Int(arguments[1])! : 1_000_000
        let path = arguments.count > 2 ? arguments[2] : "/tmp/dmajournal-throughput.db"
        let recorded = try JournalWorkload.nvme(opCount: opCount)
        try? FileManager.default.removeItem(atPath: path)
        let clock = ContinuousClock()
        let writer = try JournalWriter(path: path, force: true, run: RunInfo(
            toolVersion: "bench", seed: 1, source: "workload nvme", createdAt: "2026-01-01T00:00:00Z"))
        // The inserts, as the C baseline times them; then finish(), which builds the
        // secondary indexes and leaves one file (the baseline does neither).
        let inserting = try clock.measure {
            for (sequence, entry) in recorded.enumerated() {
                try writer.record(entry.op, outcome: entry.outcome, sequence: sequence, sourceLine: nil)
            }
        }
        let finishing = try clock.measure { try writer.finish() }
        let insertSeconds = seconds(inserting), finishSeconds = seconds(finishing)
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "ops=%d insert_seconds=%.3f ops_per_s=%.0f finish_seconds=%.3f ops_per_s_with_finish=%.0f bytes_per_op=%.1f",
                     recorded.count, insertSeconds, Double(recorded.count) / insertSeconds, finishSeconds,
                     Double(recorded.count) / (insertSeconds + finishSeconds), Double(bytes) / Double(recorded.count)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

enum JournalWorkload {
    /// The first `opCount` steps of the nvme workload with their real outcomes.
    static func nvme(opCount: Int) throws -> [(op: Op, outcome: Outcome)] {
        let engine = Engine()
        let stream = try WorkloadKind.nvme.generator.steps(WorkloadOptions(seed: 1, opCount: opCount))
        return stream.prefix(opCount).map { ($0.op, engine.apply($0.op)) }
    }
}
