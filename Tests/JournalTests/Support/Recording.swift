import Checkpoint
import DMASim
@testable import Journal
import Snapshot

/// Runs ops through a fresh engine into a new journal; returns the live outcomes.
enum Recording {
    static let run = RunInfo(toolVersion: "0.0.0-test", seed: 42, source: "tests", createdAt: "2026-11-01T12:00:00Z")

    /// A snapshot to take after op `after`, as `record --checkpoint-every` or
    /// `dmajournal snapshot` would.
    struct SnapshotPoint {
        var after: Int
        var name: String
        var kind: SnapshotRecord.Kind
    }

    @discardableResult
    static func record(_ ops: [Op], to path: String, batchSize: Int = JournalWriter.defaultBatchSize,
                       sourceLines: Bool = false, claims: (Int) -> String? = { _ in nil }, finish: Bool = true,
                       snapshots: [SnapshotPoint] = []) throws -> [Outcome] {
        let engine = Engine()
        let writer = try JournalWriter(path: path, run: run, batchSize: batchSize)
        let keeper = snapshots.isEmpty ? nil : SnapshotKeeper(storage: JournalSnapshotStorage(tables: try writer.snapshotTables()))
        var outcomes: [Outcome] = []
        for (sequence, op) in ops.enumerated() {
            let outcome = engine.apply(op)
            outcomes.append(outcome)
            for point in snapshots where point.after == sequence {
                try keeper?.capture(engine, name: point.name, kind: point.kind, afterSequence: sequence)
            }
            try writer.record(op, outcome: outcome, sequence: sequence, sourceLine: sourceLines ? sequence + 1 : nil,
                             claims: claims(sequence))
        }
        if finish { try writer.finish() }
        return outcomes
    }
}
