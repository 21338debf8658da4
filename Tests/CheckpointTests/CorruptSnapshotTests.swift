import Checkpoint
import DMASim
import Foundation
import Journal
import Snapshot
import TestSupport
import Testing

/// Damaged, truncated or missing snapshot data is corruption of the journal — one error
/// naming the table, the snapshot and the chunk — and never a difference in memory.
/// Each case damages a finished journal with the sqlite3 shell, as a user (or a disk)
/// would, then loads the checkpoint (restore reads every chunk) and compares memory with
/// it (which reads the chunk that differs).
@Suite struct CorruptSnapshotTests {
    struct Damage: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        let table: String
        /// How the detail ends; nil where the exact symptom depends on the bytes hit.
        let problem: String?
        var testDescription: String { name }
    }

    /// The first chunk of c1: `shm0`'s first 64 KiB.
    static let chunkIndex = Machines.shared / 0x10000
    static let hash = "(SELECT hash FROM snapshot_chunks WHERE chunk_index = \(chunkIndex))"
    static let place = "snapshot 'c1' (after seq 4), chunk \(chunkIndex) (phys 0x100000000000), hash 0x"

    static let damages = [
        Damage(name: "truncated frame", sql: "UPDATE chunks SET frame = substr(frame, 1, 10) WHERE hash = \(hash)",
               table: "chunks", problem: "corrupt LZ4 frame: truncated frame (10 bytes)"),
        Damage(name: "bad magic", sql: "UPDATE chunks SET frame = CAST(x'00000000' || substr(frame, 5) AS BLOB) WHERE hash = \(hash)",
               table: "chunks", problem: "corrupt LZ4 frame: not an LZ4 frame (bad magic)"),
        Damage(name: "a byte flipped in the block",
               sql: """
                   UPDATE chunks SET frame = CAST(substr(frame, 1, 40) || CASE WHEN hex(substr(frame, 41, 1)) = '00' THEN x'01' ELSE x'00' END
                                                  || substr(frame, 42) AS BLOB) WHERE hash = \(hash)
                   """,
               table: "chunks", problem: nil),
        Damage(name: "another chunk's frame",
               sql: "UPDATE chunks SET frame = (SELECT frame FROM chunks WHERE hash <> \(hash)) WHERE hash = \(hash)",
               table: "chunks", problem: nil),
        Damage(name: "chunk row deleted", sql: "DELETE FROM chunks WHERE hash = \(hash)",
               table: "chunks", problem: "chunk data is missing"),
        Damage(name: "chunk reference deleted", sql: "DELETE FROM snapshot_chunks WHERE chunk_index = \(chunkIndex)",
               table: "snapshot_chunks", problem: "snapshot 'c1' (after seq 4): the snapshot lists 1 chunks, its row says 2"),
        Damage(name: "engine state cut short", sql: "UPDATE checkpoints SET state = substr(state, 1, 30)",
               table: "checkpoints", problem: nil),
        // journal-corruptions.sh: an index whose address overflowed SnapshotManifest.pages(ofChunk:).
        Damage(name: "chunk index beyond 64-bit memory", sql: "UPDATE snapshot_chunks SET chunk_index = 4611686018427387904 + chunk_index",
               table: "snapshot_chunks", problem: "the chunk index lies beyond 64-bit physical memory"),
    ]

    /// Two chunks (one compressible, one not), checkpoint c1, then a write to the first.
    static let ops = Machines.topology + [Machines.cpuWrite(0, 0x10000, .pattern([1, 2, 3, 4, 5])),
                                          Machines.cpuWrite(0x10000, 0x10000, .seed(2))]
    static let later = Machines.cpuWrite(0x100, 0x10, .byte(0xaa))

    static func damagedJournal(_ damage: Damage) throws -> String {
        var recording = try JournalRecording()
        try recording.record(ops)
        try recording.capture("c1")
        try recording.record([later])
        let path = try recording.finish()
        try Shell.sqlite(path, damage.sql)
        return path
    }

    @Test(arguments: damages)
    func loadingTheCheckpointReportsCorruption(_ damage: Damage) throws {
        let path = try Self.damagedJournal(damage)
        let loader = try CheckpointLoader(reader: JournalReader(path: path))
        Self.expectCorruption(damage, path: path) { () throws(JournalError) in _ = try loader.position(atCheckpoint: "c1") }
    }

    @Test(arguments: damages.filter { $0.table != "checkpoints" })
    func comparingWithTheSnapshotReportsCorruptionNotADifference(_ damage: Damage) throws {
        let path = try Self.damagedJournal(damage)
        let loader = try CheckpointLoader(reader: JournalReader(path: path))
        let engine = Engine()
        _ = engine.apply(Self.ops + [Self.later])
        Self.expectCorruption(damage, path: path) { () throws(JournalError) in
            let snapshot = try loader.snapshot(named: "c1")
            _ = try JournalError.mapping(path: path) { try SnapshotKeeper(storage: loader.storage).differences(of: engine, from: snapshot) }
        }
    }

    static func expectCorruption(_ damage: Damage, path: String, _ body: () throws(JournalError) -> Void) {
        do {
            try body()
            Issue.record("\(damage.name): no error")
        } catch .corruptSnapshot(let errorPath, let table, let detail) {
            #expect(errorPath == path)
            #expect(table == damage.table)
            if damage.table == "chunks" { #expect(detail.hasPrefix(place), "\(detail)") }
            if damage.table == "checkpoints" { #expect(detail.hasPrefix("checkpoint 'c1' (after seq 4): engine state: "), "\(detail)") }
            if let problem = damage.problem { #expect(detail.hasSuffix(problem), "\(detail)") }
            #expect(!JournalError.corruptSnapshot(path: path, table: table, detail: detail).description.contains("\n"))
        } catch {
            Issue.record("\(damage.name): \(error)")
        }
    }
}
