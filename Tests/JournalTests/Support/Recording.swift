import Checkpoint
import DMASim
@testable import Journal
import OpScript
import Snapshot
import TestSupport

/// The journal tests' recordings: `JournalRecording` (TestSupport) with this target's run
/// information and snapshots taken at chosen ops; returns the live outcomes.
enum Recording {
    static let run = RunInfo(toolVersion: "0.0.0-test", seed: 42, source: "tests", createdAt: "2026-11-01T12:00:00Z")

    /// A snapshot to take after op `after`, as `record --checkpoint-every` or
    /// `dmajournal snapshot` would.
    struct SnapshotPoint {
        var after: Int
        var name: String
        var kind: SnapshotRecord.Kind
    }

    /// Records `ops` through the pipeline (`JournalRecording`, as `run --journal` does):
    /// op SEQ's line number is SEQ + 1 (kept when `sourceLines`), its claims `claims(SEQ)`,
    /// and `snapshots` are taken after the ops they name.
    @discardableResult
    static func record(_ ops: [Op], to path: String, batchSize: Int = JournalWriter.defaultBatchSize,
                       sourceLines: Bool = false, claims: (Int) -> [Claim] = { _ in [] }, finish: Bool = true,
                       snapshots: [SnapshotPoint] = []) throws -> [Outcome] {
        var recording = try JournalRecording(path: path, run: run, batchSize: batchSize)
        var outcomes: [Outcome] = []
        for (sequence, op) in ops.enumerated() {
            outcomes += try recording.record([ScriptLine(lineNumber: sequence + 1, op: op, claims: claims(sequence))], sourceLines: sourceLines)
            for point in snapshots where point.after == sequence { try recording.capture(point.name, kind: point.kind) }
        }
        if finish { try recording.finish() }
        return outcomes
    }
}
