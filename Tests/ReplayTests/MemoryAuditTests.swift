import Checkpoint
import DMASim
import Foundation
import Journal
import OpScript
import Replay
import Snapshot
import Testing

/// `verify` and `diff` over a journal: exact runs with their writers, from a replay that
/// starts at a checkpoint and must agree with the journal on the way.
@Suite struct MemoryAuditTests {
    /// Records a snapshot fixture the way `run --journal` does.
    static func recordFixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/scripts/snapshots/\(name)")
        let script = try ScriptParser().parse(String(contentsOf: url, encoding: .utf8), fileName: name)
        return try CheckpointReplayTests.record(script.lines.map(\.op), checkpointEvery: .max)
    }

    @Test func verifyNamesTheRunAndItsWriter() throws {
        let audit = try MemoryAudit(reader: JournalReader(path: try Self.recordFixture("cpu-write-after-checkpoint.ops")))
        let report = try audit.verify(against: "before", at: 4)
        #expect(report.divergence == nil)
        #expect(report.older.sequence == 2)
        #expect(report.newerSequence == 4)
        #expect(report.differences.map(\.description) == ["shm0 phys 0x10000000fff0 len 0x20: last written by seq 3 cpu-write"])
        #expect(report.differingBytes == 0x20)
    }

    /// Starting at checkpoint `after` (whose state already tracks writers) and replaying
    /// the script's own verify ops must not disturb what they report.
    @Test func auditingFromALaterCheckpointReplaysTheScriptsVerifyOpsIdentically() throws {
        let audit = try MemoryAudit(reader: JournalReader(path: try Self.recordFixture("cpu-write-after-checkpoint.ops")))
        let report = try audit.verify(against: "after")
        #expect(report.divergence == nil)
        #expect(report.startCheckpoint == "after")
        #expect(report.differences.isEmpty)
    }

    @Test func diffOrdersTheSnapshotsAndAttributesFromTheOlder() throws {
        let path = try Self.recordFixture("memory-mismatch.ops")
        let audit = try MemoryAudit(reader: JournalReader(path: path))
        let snapshot = try Replayer(reader: JournalReader(path: path)).position(after: 10).0
        let tables = try SnapshotTables.openForWriting(path: path)
        try tables.inTransaction {
            try SnapshotKeeper(storage: JournalSnapshotStorage(tables: tables)).capture(snapshot.engine, name: "late", kind: .snapshot, afterSequence: 10)
        }
        let report = try audit.diff("late", "c1")
        #expect(report.older.name == "c1")
        #expect(report.newer?.name == "late")
        #expect(report.differences.map(\.writerText) == ["last written by seq 8 dev-write by nvme0 through s1 at 0xffffef00; "
                                                          + "seq 10 dev-write by nvme0 through s1 at 0xfffff000"])
        #expect(throws: JournalError.unknownSnapshot(path: path, name: "nope", known: ["c1", "late"])) { try audit.diff("nope", "c1") }
    }
}
