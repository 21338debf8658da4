import DMASim
import Foundation
import Journal
import OpScript
import Pipeline
import Snapshot
import Checkpoint

/// A journal recorded the way `dmajournal run --journal` and `record` record one: lines go
/// through the pipeline (`ScriptExecutor`), whose keeper keeps `checkpoint` snapshots in the
/// writer's open batch, and each result goes into the writer. The one recording helper of
/// the test targets (issue 19 item 2), so a journal a test reads is one the tool could write.
public struct JournalRecording {
    /// What every test journal says about its run unless the test gives its own.
    public static let run = RunInfo(toolVersion: "0.0.0-test", source: "tests", createdAt: "2026-11-25T00:00:00Z")

    public let path: String
    public let writer: JournalWriter
    /// The pipeline: its engine and its keeper (snapshots in the journal).
    public let executor: ScriptExecutor
    /// After every this many ops a checkpoint `auto:SEQ` (`checkpointPrefix` + SEQ) is
    /// taken, before the op is journaled, as `record --checkpoint-every` takes it; 0 for none.
    public var checkpointEvery: Int
    public var checkpointPrefix = "auto:"
    /// The sequence of the next op recorded.
    public private(set) var sequence = 0

    public var engine: Engine { executor.engine }
    public var keeper: SnapshotKeeper { executor.keeper }

    /// A fresh path under the temp directory (nothing is created there).
    public static func temporaryPath(_ name: String = "recording") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).db").path
    }

    /// Opens a new journal at `path`.
    public init(path: String = JournalRecording.temporaryPath(), run: RunInfo = JournalRecording.run, force: Bool = false,
                batchSize: Int = JournalWriter.defaultBatchSize, checkpointEvery: Int = 0) throws {
        self.path = path
        self.checkpointEvery = checkpointEvery
        writer = try JournalWriter(path: path, force: force, run: run, batchSize: batchSize)
        executor = ScriptExecutor(keeper: SnapshotKeeper(storage: JournalSnapshotStorage(tables: try writer.snapshotTables())))
    }

    /// Records `lines` with, when `claims`, their claims (as the journal's `claims` text)
    /// and, when `sourceLines`, their line numbers; returns their outcomes. `stopping` as
    /// `run` stops (at the first failed line, which is journaled) or not at all.
    @discardableResult
    public mutating func record(_ lines: [ScriptLine], claims keepsClaims: Bool = true, sourceLines: Bool = true,
                                stopping: ScriptExecutor.Stopping = .never) throws -> [Outcome] {
        var outcomes: [Outcome] = []
        let writer = writer, executor = executor, every = checkpointEvery, prefix = checkpointPrefix
        _ = try executor.run(lines, stopping: stopping, from: sequence) { result in
            if every > 0 && (result.sequence + 1) % every == 0 {
                try executor.keeper.capture(executor.engine, name: prefix + String(result.sequence), kind: .checkpoint, afterSequence: result.sequence)
            }
            let claims = !keepsClaims || result.line.claims.isEmpty ? nil : Claim.text(of: result.line.claims)
            try writer.record(result.line.op, outcome: result.outcome, sequence: result.sequence,
                              sourceLine: sourceLines ? result.line.lineNumber : nil, claims: claims)
            outcomes.append(result.outcome)
        }
        sequence += outcomes.count
        return outcomes
    }

    /// Records `ops`, which claim nothing and come from no file.
    @discardableResult
    public mutating func record(_ ops: [Op]) throws -> [Outcome] {
        try record(ops.map { ScriptLine(lineNumber: 0, op: $0) }, sourceLines: false)
    }

    /// Records the op script `text` (`fileName` labels its errors).
    @discardableResult
    public mutating func record(script text: String, fileName: String = "test.ops", claims: Bool = true,
                                stopping: ScriptExecutor.Stopping = .atFirstFailure) throws -> [Outcome] {
        try record(try ScriptParser().parse(text, fileName: fileName).lines, claims: claims, stopping: stopping)
    }

    /// Takes a snapshot of the current memory after the last op recorded, as `record
    /// --checkpoint-every` or `dmajournal snapshot` do.
    @discardableResult
    public func capture(_ name: String, kind: SnapshotRecord.Kind = .checkpoint) throws -> SnapshotRecord {
        try keeper.capture(engine, name: name, kind: kind, afterSequence: sequence - 1)
    }

    /// Seals the journal; returns its path.
    @discardableResult
    public func finish() throws -> String {
        try writer.finish()
        return path
    }
}
