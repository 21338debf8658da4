import Checkpoint
import DMASim
import Foundation
import Journal
import Snapshot
import TestSupport
import Testing

/// Snapshots kept in a journal: they restore to the same bytes, identical ones share every
/// chunk, incremental ones store only what changed, and each chunk and each engine state is
/// an LZ4 frame the stock tools can take out and decompress.
@Suite struct JournalSnapshotStorageTests {
    struct MemoryCase: CustomTestStringConvertible, Sendable {
        let name: String
        let writes: [(offset: UInt64, length: UInt64, fill: Fill)]
        var testDescription: String { name }
    }

    @Test(arguments: [
        MemoryCase(name: "sparse: pages far apart in 1 TiB",
                   writes: [(0x10, 100, .seed(1)), (0x40_0000_0000, 4096, .seed(2)), ((1 << 40) - 4096, 4096, .byte(9))]),
        MemoryCase(name: "dense: 4 MiB of random, pattern and zero",
                   writes: [(0, 2 << 20, .seed(3)), (2 << 20, 1 << 20, .pattern([1, 2, 3])), (3 << 20, 1 << 20, .zero)]),
    ])
    func aCheckpointRestoresTheSameBytes(_ example: MemoryCase) throws {
        var recording = try JournalRecording()
        try recording.record(Machines.topology + example.writes.map { Machines.cpuWrite($0.offset, $0.length, $0.fill) })
        try recording.capture("c1")
        let original = recording.engine
        let path = try recording.finish()

        let loader = try CheckpointLoader(reader: JournalReader(path: path))
        let (restored, sequence) = try loader.engine(atOrBefore: .max)
        #expect(sequence == Machines.topology.count + example.writes.count - 1)
        #expect(restored.touchedPages().filter { !Self.pageIsZero(restored, $0) }
                == original.touchedPages().filter { !Self.pageIsZero(original, $0) })
        for write in example.writes {
            #expect(Machines.digest(restored, write.offset, write.length) == write.fill.digest(length: write.length))
        }
    }

    @Test func theSecondOfTwoIdenticalSnapshotsAddsNoChunkRows() throws {
        var recording = try JournalRecording()
        try recording.record(Machines.topology + [Machines.cpuWrite(0, 1 << 20, .seed(5))])
        let first = try recording.capture("first")
        let second = try recording.capture("second", kind: .snapshot)
        let path = try recording.finish()
        #expect(first.statistics.chunksStored == 16)
        #expect(second.statistics.chunksStored == 0)
        #expect(try Shell.sqliteInteger(path, "SELECT count(*) FROM chunks") == 16)
        #expect(try Shell.sqliteInteger(path, "SELECT count(*) FROM snapshot_chunks") == 32)
        #expect(try Shell.sqliteInteger(path, "SELECT new_chunks FROM snapshots WHERE name = 'second'") == 0)
    }

    /// After 8 MiB, two small writes: the next snapshot reads two chunks and stores two.
    @Test func anIncrementalSnapshotStoresOnlyTheChunksWrittenSince() throws {
        var recording = try JournalRecording()
        try recording.record(Machines.topology + [Machines.cpuWrite(0, 8 << 20, .seed(1))])
        try recording.capture("full")
        try recording.record([Machines.cpuWrite(3 << 20, 100, .byte(0xee)), Machines.cpuWrite(20 << 20, 4096, .seed(9))])
        try recording.capture("incremental")
        let path = try recording.finish()
        let rows = try JournalReader(path: path).snapshotTables().snapshots()
        #expect(rows.map(\.name) == ["full", "incremental"])
        #expect(rows.map(\.chunkCount) == [128, 129])
        #expect(rows.map(\.examinedChunks) == [128, 2])
        #expect(rows.map(\.newChunks) == [128, 2])
        #expect(rows[1].newFrameBytes < 2 * 65_536 + 100)
    }

    /// The interoperability promise: `sqlite3 … writefile()` takes a chunk out of the
    /// journal and `lz4 -d` turns it into the chunk's bytes; the engine state likewise.
    @Test func blobsTakenOutWithSQLiteDecompressWithTheLZ4Tool() throws {
        var recording = try JournalRecording()
        try recording.record(Machines.topology + [Machines.cpuWrite(0x10000, 0x10000, .pattern([7, 1, 7, 2]))])
        try recording.capture("c1")
        let state = recording.engine.encodeState()
        var chunk = [UInt8](repeating: 0, count: 0x10000)
        _ = chunk.withUnsafeMutableBytes { bytes in
            (0..<16).map { recording.engine.copyPage((Machines.shared + 0x10000) / 4096 + UInt64($0), into: bytes.baseAddress! + $0 * 4096) }
        }
        let path = try recording.finish()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lz4-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let index = (Machines.shared + 0x10000) / 0x10000
        try Shell.sqlite(path, """
            SELECT writefile('\(directory)/chunk.lz4', c.frame) FROM snapshot_chunks s JOIN chunks c ON c.hash = s.hash
             WHERE s.chunk_index = \(index);
            SELECT writefile('\(directory)/state.lz4', state) FROM checkpoints;
            """)
        let decodedChunk = try Shell.run("/usr/bin/lz4", ["-d", "-c", "\(directory)/chunk.lz4"])
        #expect(decodedChunk.status == 0)
        #expect([UInt8](decodedChunk.output) == chunk)
        let decodedState = try Shell.run("/usr/bin/lz4", ["-d", "-c", "\(directory)/state.lz4"])
        #expect(decodedState.status == 0)
        #expect([UInt8](decodedState.output) == state)
    }

    /// An older journal (schema 2) has no snapshot tables: it reads as holding none, and
    /// opening it for writing adds them (and every later migration).
    @Test func aJournalWithoutSnapshotTablesGainsThemWhenWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("schema2-\(UUID().uuidString).db").path
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema")
        // A journal as a build with schemas 001 and 002 wrote it, immediate parts only.
        var sql = "PRAGMA foreign_keys = OFF;\n"  // the shell would read a leading "--" as an option
        for file in ["001-journal.sql", "002-injections.sql"] {
            let text = try String(contentsOf: schema.appendingPathComponent(file), encoding: .utf8)
            sql += text.components(separatedBy: "\n-- @deferred-indexes\n")[0] + "\n"
        }
        sql += "INSERT INTO run (id, tool_version, schema_version, source, created_at, batch_size) VALUES (1, 'old', 2, 'test', '2026-01-01', 1);"
        try Shell.sqlite(path, sql)
        #expect(try Shell.sqliteInteger(path, "PRAGMA user_version") == 2)
        let reader = try JournalReader(path: path)
        #expect(try reader.snapshotTables().exists == false)
        #expect(try reader.snapshotTables().snapshots().isEmpty)
        #expect(try CheckpointLoader(reader: reader).engine(atOrBefore: 10).sequence == -1)
        let tables = try SnapshotTables.openForWriting(path: path)
        #expect(tables.exists)
        #expect(try Shell.sqliteInteger(path, "PRAGMA user_version") >= 3)
    }

    static func pageIsZero(_ engine: Engine, _ page: UInt64) -> Bool {
        var bytes = [UInt8](repeating: 0, count: Engine.memoryPageBytes)
        _ = bytes.withUnsafeMutableBytes { engine.copyPage(page, into: $0.baseAddress!) }
        return bytes.allSatisfy { $0 == 0 }
    }
}
