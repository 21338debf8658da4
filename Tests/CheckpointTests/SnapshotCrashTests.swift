import Checkpoint
import DMASim
import Foundation
import Journal
import Snapshot
import TestSupport
import Testing

/// A snapshot is written inside the recording's open batch: a recording killed with
/// SIGKILL keeps the snapshots of its committed batches, whole, and nothing of the one in
/// the open batch — no snapshot row, no chunk reference, no orphan chunk.
@Suite struct SnapshotCrashTests {
    static let batchSize = 100
    static let ops = Machines.topology + (0..<400).map { Machines.cpuWrite(UInt64($0 % 40) * 0x10000, 0x1000, .seed(UInt64($0))) }

    /// The child's whole life: checkpoints after ops 149 (batch 2, committed at op 199)
    /// and 330 (batch 4, still open at the kill after op 349).
    static func recordThenDie(path: String) throws {
        var recording = try JournalRecording(path: path, batchSize: batchSize)
        try recording.record(Array(ops.prefix(150)))
        try recording.capture("committed")
        try recording.record(Array(ops[150..<331]))
        try recording.capture("lost")
        try recording.record(Array(ops[331..<350]))
        kill(getpid(), SIGKILL)
    }

    @Test func aKilledRecordingKeepsTheSnapshotsOfItsCommittedBatchesOnly() async throws {
        let path = JournalRecording.temporaryPath()
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
            try SnapshotCrashTests.recordThenDie(path: path)
        }
        let reader = try JournalReader(path: path)
        #expect(reader.opCount == 300)
        #expect(try reader.snapshotTables().snapshots().map(\.name) == ["committed"])
        #expect(try Shell.sqliteInteger(path, "SELECT count(*) FROM checkpoints") == 1)
        #expect(try Shell.sqliteInteger(path, "SELECT count(*) FROM chunks WHERE hash NOT IN (SELECT hash FROM snapshot_chunks)") == 0)
        let (engine, sequence) = try CheckpointLoader(reader: reader).engine(atOrBefore: .max)
        #expect(sequence == 149)
        #expect(engine.appliedCount == 150)
    }
}
