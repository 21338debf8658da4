import DMASim
import Foundation
import Journal
import Workloads

/// The journal's insert rate on its own: an nvme workload is run through the engine first
/// (outcomes kept in memory), then only the JournalWriter is timed. The journal it leaves
/// is what Benchmarks/baselines/sqlite_insert re-inserts for the C baseline.
/// Usage: JournalThroughput [ops] [journal-path]
///
/// `cpu_seconds` is the thread's CPU time over the inserts (user and system, so the
/// writes into the page cache count); on this shared machine it is steadier than the
/// wall clock, which the C baseline prints beside it the same way.
@main
struct JournalThroughput {
    static func main() throws {
        let arguments = CommandLine.arguments
        let opCount = arguments.count > 1 ? Int(arguments[1])! : 1_000_000
        let path = arguments.count > 2 ? arguments[2] : "/tmp/dmajournal-throughput.db"
        let recorded = try JournalWorkload.nvme(opCount: opCount)
        try? FileManager.default.removeItem(atPath: path)
        let writer = try JournalWriter(path: path, force: true, run: RunInfo(
            toolVersion: "bench", seed: 1, source: "workload nvme", createdAt: "2026-01-01T00:00:00Z"))
        // The inserts, as the C baseline times them; then finish(), which builds the
        // secondary indexes and leaves one file (the baseline does neither). Ops and
        // outcomes sit in two arrays: reading them out of one array of (op, outcome) tuples
        // went through the runtime's generic tuple copy, ~700 instructions an op that the
        // C baseline's flat arrays never pay.
        let inserting = try timed {
            for sequence in recorded.ops.indices {
                try writer.record(recorded.ops[sequence], outcome: recorded.outcomes[sequence], sequence: sequence, sourceLine: nil)
            }
        }
        let finishing = try timed { try writer.finish() }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let count = Double(recorded.ops.count)
        print(String(format: "ops=%d insert_seconds=%.3f ops_per_s=%.0f cpu_seconds=%.3f ops_per_cpu_s=%.0f finish_seconds=%.3f ops_per_s_with_finish=%.0f bytes_per_op=%.1f",
                     recorded.ops.count, inserting.wall, count / inserting.wall, inserting.cpu, count / inserting.cpu,
                     finishing.wall, count / (inserting.wall + finishing.wall), Double(bytes) / count))
    }

    /// Wall-clock and thread CPU seconds of `body`.
    static func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let cpuBefore = threadCPUSeconds()
        let wall = try ContinuousClock().measure(body)
        return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, threadCPUSeconds() - cpuBefore)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

enum JournalWorkload {
    /// The first `opCount` steps of the nvme workload with their real outcomes.
    static func nvme(opCount: Int) throws -> (ops: [Op], outcomes: [Outcome]) {
        let engine = Engine()
        let stream = try WorkloadKind.nvme.generator.steps(WorkloadOptions(seed: 1, opCount: opCount))
        let ops = stream.prefix(opCount).map(\.op)
        return (ops, ops.map(engine.apply))
    }
}
