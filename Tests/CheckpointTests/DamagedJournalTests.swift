@testable import Checkpoint
import DMASim
import Foundation
import Journal
import Snapshot
import TestSupport
import Testing

/// Structural damage to a journal — ops missing, repeated, out of range, snapshots after
/// the last op — is reported as damage when the journal is opened, in one line naming the
/// first place, and never reaches replay as a divergence or a trap. The cases are
/// ../shared/reliability-repro/journal-corruptions.sh's, made with the sqlite3 shell on a
/// finished journal as a user (or a disk) would.
@Suite struct DamagedJournalTests {
    struct Damage: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        /// The whole detail of the `.damaged` error.
        let detail: String
        var testDescription: String { name }
    }

    /// Ops 0…2 declare the machine, 3…12 write memory; checkpoint c1 after seq 7; 13 ops.
    static let ops = Machines.topology + (0..<10).map { Machines.cpuWrite(UInt64($0) * 0x1000, 0x100, .seed(UInt64($0))) }

    static let damages = [
        Damage(name: "a repeated seq",
               sql: """
                   PRAGMA legacy_alter_table=ON; CREATE TABLE ops2 AS SELECT * FROM ops; INSERT INTO ops2 SELECT * FROM ops WHERE seq = 10;
                   DROP TABLE ops; ALTER TABLE ops2 RENAME TO ops;
                   """,
               detail: "op seq 10 appears more than once (the ops table lost its primary key)"),
        Damage(name: "the table rebuilt without its key",
               sql: "PRAGMA legacy_alter_table=ON; CREATE TABLE ops2 AS SELECT * FROM ops; DROP TABLE ops; ALTER TABLE ops2 RENAME TO ops;",
               detail: "the ops table lost its primary key on seq (rebuilt by hand?)"),
        Damage(name: "an op at seq -5",
               sql: "CREATE TEMP TABLE copy AS SELECT * FROM ops WHERE seq = 10; UPDATE copy SET seq = -5; INSERT INTO ops SELECT * FROM copy",
               detail: "an op at seq -5, before the first op (seq 0)"),
        Damage(name: "a hole", sql: "DELETE FROM ops WHERE seq = 4",
               detail: "op 4 is missing (12 ops between seq 0 and 12)"),
        Damage(name: "a wider hole", sql: "DELETE FROM ops WHERE seq BETWEEN 4 AND 6",
               detail: "ops 4…6 are missing (10 ops between seq 0 and 12)"),
        Damage(name: "the first ops", sql: "DELETE FROM ops WHERE seq < 2",
               detail: "ops 0…1 are missing (the first op is seq 2)"),
        Damage(name: "the tail deleted", sql: "DELETE FROM ops WHERE seq > 5",
               detail: "it was sealed with 13 ops and holds 6: ops 6…12 were deleted"),
        Damage(name: "an op added after sealing",
               sql: "CREATE TEMP TABLE copy AS SELECT * FROM ops WHERE seq = 12; UPDATE copy SET seq = 13; INSERT INTO ops SELECT * FROM copy",
               detail: "it was sealed with 13 ops and holds 14: ops were added after it was sealed"),
        // A journal sealed before schema 12 has no count: the checkpoint still gives it away.
        Damage(name: "the tail deleted from an older journal", sql: "UPDATE run SET sealed_op_count = NULL; DELETE FROM ops WHERE seq > 5",
               detail: "checkpoint 'c1' was taken after seq 7, outside the ops the journal holds (0…5)"),
    ]

    static func journal(damagedBy sql: String?) throws -> String {
        var recording = try JournalRecording()
        try recording.record(Array(ops[..<8]))
        try recording.capture("c1")
        try recording.record(Array(ops[8...]))
        let path = try recording.finish()
        if let sql { try Shell.sqlite(path, sql) }
        return path
    }

    @Test(arguments: damages)
    func openingReportsTheDamage(_ damage: Damage) throws {
        let path = try Self.journal(damagedBy: damage.sql)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: JournalError.damaged(path: path, detail: damage.detail)) { try JournalReader(path: path) }
        #expect(!JournalError.damaged(path: path, detail: damage.detail).description.contains("\n"))
        // Reading never changes the file.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func anIntactJournalOpensAndReplays() throws {
        let path = try Self.journal(damagedBy: nil)
        let reader = try JournalReader(path: path)
        #expect(reader.opCount == 13)
        let cursor = try reader.makeCursor()
        #expect(try cursor.all().map(\.seq) == Array(0..<13))
    }

    /// A killed recording holds whole batches and no count: it is not damaged.
    @Test func aKilledRecordingIsNotDamage() throws {
        var recording = try JournalRecording(batchSize: 4)
        try recording.record(Self.ops)
        let reader = try JournalReader(path: recording.path)
        #expect(!reader.isFinished)
        #expect(reader.opCount == 12)
        withExtendedLifetime(recording) {}
    }

    /// The cursor checks the order as it reads, should the file change after the open.
    @Test func aCursorRefusesOpsOutOfOrder() throws {
        let path = try Self.journal(damagedBy: nil)
        let reader = try JournalReader(path: path)
        try Shell.sqlite(path, "DELETE FROM ops WHERE seq = 9")
        let cursor = try reader.makeCursor(fromSequence: 8)
        #expect(try cursor.next()?.seq == 8)
        #expect(throws: JournalError.damaged(path: path, detail: "op 9 is missing (the next is seq 10)")) { try cursor.next() }
    }

    /// ReplayPosition.apply used to trap on an op at or before the last one applied.
    @Test func applyingAnOpOutOfOrderThrows() throws {
        let position = ReplayPosition(engine: Engine(), sequence: 5, keeper: SnapshotKeeper())
        #expect(throws: ReplayPosition.OutOfOrder(sequence: 5, after: 5)) { try position.apply(Machines.topology[0], sequence: 5) }
        #expect(throws: ReplayPosition.OutOfOrder(sequence: 3, after: 5)) { try position.apply(Machines.topology[0], sequence: 3) }
        #expect(throws: JournalError.damaged(path: "j.db", detail: "op seq 5 appears more than once")) {
            try JournalError.mapping(path: "j.db") { try position.apply(Machines.topology[0], sequence: 5) }
        }
    }
}
