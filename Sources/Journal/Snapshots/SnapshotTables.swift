import CSQLite

/// Reads and writes the snapshot tables of schema 3 (`chunks`, `snapshots`,
/// `snapshot_chunks`, `checkpoints`) on a journal connection.
///
/// Three ways to get one, by who owns the connection:
/// - `JournalWriter.snapshotTables`: the recording's connection, so rows land in the open
///   batch transaction and a snapshot commits with its batch or not at all;
/// - `JournalReader.snapshotTables`: read-only;
/// - `SnapshotTables.openForWriting(path:)`: an existing journal opened read-write, for
///   `dmajournal snapshot` (the one command that adds to a finished journal), with
///   `inTransaction(_:)` around its inserts.
///
/// A journal older than schema 3 has no such tables: it reads as holding no snapshots.
package final class SnapshotTables {
    package var path: String { database.path }
    /// The journal has the tables (schema 3 or later).
    package let exists: Bool

    private let database: Database
    private var statements: [String: Statement] = [:]

    init(_ database: Database) throws(JournalError) {
        self.database = database
        exists = try database.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'snapshot_chunks'") == 1
    }

    /// Opens an existing journal read-write and brings its schema up to date (an older
    /// journal gains the snapshot tables). Holds a shared `JournalLock` while open: a
    /// journal still being recorded or recovered is refused (`JournalError.inUse`).
    package static func openForWriting(path: String) throws(JournalError) -> SnapshotTables {
        let lock = try JournalLock.acquire(path, exclusive: false, refusal: "a snapshot is added once that process has finished")
        let (database, _) = try JournalOpener.open(path, readOnly: false)
        database.lock = lock
        try SchemaMigrator.migrate(database)
        return try SnapshotTables(database)
    }

    /// Runs `body` in one IMMEDIATE transaction; rolls back when it throws. Only for a
    /// connection this type opened (`openForWriting`): a writer's batch is already open.
    package func inTransaction(_ body: () throws -> Void) throws {
        try database.execute("BEGIN IMMEDIATE")
        do {
            try body()
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// A statement compiled on first use and kept.
    private func statement(_ sql: String) throws(JournalError) -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    // MARK: chunks

    package func containsChunk(hash: UInt64) throws(JournalError) -> Bool {
        guard exists else { return false }
        let select = try statement("SELECT 1 FROM chunks WHERE hash = ?")
        defer { select.reset() }
        select.bind(hash, at: 1)
        return try select.step()
    }

    /// Stores a chunk's frame; a hash already stored is left as it is.
    package func insertChunk(hash: UInt64, rawBytes: Int, frame: [UInt8]) throws(JournalError) {
        let insert = try statement("INSERT OR IGNORE INTO chunks (hash, raw_bytes, frame) VALUES (?, ?, ?)")
        insert.bind(hash, at: 1)
        insert.bind(rawBytes, at: 2)
        insert.bind(.blob(frame), at: 3)
        try insert.execute()
    }

    /// The frame stored under `hash`, nil when there is no such row.
    package func chunkFrame(hash: UInt64) throws(JournalError) -> [UInt8]? {
        guard exists else { return nil }
        let select = try statement("SELECT frame FROM chunks WHERE hash = ?")
        defer { select.reset() }
        select.bind(hash, at: 1)
        guard try select.step() else { return nil }
        return Self.bytes(select, at: 0)
    }

    /// A column's bytes whatever its type: a frame damaged into TEXT or NULL is still
    /// handed to the frame decoder, which says what is wrong with it.
    private static func bytes(_ statement: Statement, at column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement.handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    // MARK: snapshots

    /// Inserts a snapshot and its chunk references; returns its id.
    @discardableResult
    package func insertSnapshot(_ row: SnapshotRow, chunks: [ChunkRef]) throws(JournalError) -> Int64 {
        let insert = try statement("""
            INSERT INTO snapshots (name, seq, kind, epoch, chunk_count, examined_chunks, new_chunks, new_frame_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(row.name, at: 1)
        insert.bind(row.seq, at: 2)
        insert.bind(row.kind, at: 3)
        insert.bind(Int64(row.epoch), at: 4)
        insert.bind(row.chunkCount, at: 5)
        insert.bind(row.examinedChunks, at: 6)
        insert.bind(row.newChunks, at: 7)
        insert.bind(row.newFrameBytes, at: 8)
        try insert.execute()
        let id = sqlite3_last_insert_rowid(database.handle)
        let insertChunk = try statement("INSERT INTO snapshot_chunks (snapshot_id, chunk_index, hash) VALUES (?, ?, ?)")
        for chunk in chunks {
            insertChunk.bind(id, at: 1)
            insertChunk.bind(chunk.index, at: 2)
            insertChunk.bind(chunk.hash, at: 3)
            try insertChunk.execute()
        }
        return id
    }

    /// Stores checkpoint `snapshotID`'s engine state.
    package func insertCheckpointState(snapshotID: Int64, _ state: CheckpointStateRow) throws(JournalError) {
        let insert = try statement("INSERT INTO checkpoints (snapshot_id, state, state_format, state_bytes) VALUES (?, ?, ?, ?)")
        insert.bind(snapshotID, at: 1)
        insert.bind(.blob(state.frame), at: 2)
        insert.bind(state.format, at: 3)
        insert.bind(state.rawBytes, at: 4)
        try insert.execute()
    }

    static let snapshotColumns = "id, name, seq, kind, epoch, chunk_count, examined_chunks, new_chunks, new_frame_bytes"

    /// Every snapshot, by seq then id.
    package func snapshots() throws(JournalError) -> [SnapshotRow] {
        guard exists else { return [] }
        return try rows(try statement("SELECT \(Self.snapshotColumns) FROM snapshots ORDER BY seq, id"))
    }

    /// The latest snapshot named `name` taken after an op at or before `seq`.
    package func latestSnapshot(named name: String, atOrBefore seq: Int) throws(JournalError) -> SnapshotRow? {
        guard exists else { return nil }
        let select = try statement("""
            SELECT \(Self.snapshotColumns) FROM snapshots WHERE name = ? AND seq <= ? ORDER BY seq DESC, id DESC LIMIT 1
            """)
        select.bind(name, at: 1)
        select.bind(seq, at: 2)
        return try rows(select).first
    }

    /// The latest checkpoint taken after an op at or before `seq`.
    package func latestCheckpoint(atOrBefore seq: Int) throws(JournalError) -> SnapshotRow? {
        guard exists else { return nil }
        let select = try statement("""
            SELECT \(Self.snapshotColumns) FROM snapshots WHERE kind = 'checkpoint' AND seq <= ? ORDER BY seq DESC, id DESC LIMIT 1
            """)
        select.bind(seq, at: 1)
        return try rows(select).first
    }

    private func rows(_ select: Statement) throws(JournalError) -> [SnapshotRow] {
        defer { select.reset() }
        var rows: [SnapshotRow] = []
        while try select.step() {
            rows.append(SnapshotRow(id: select.int64(at: 0), name: select.text(at: 1) ?? "", seq: select.int(at: 2) ?? -1,
                                    kind: select.text(at: 3) ?? "", epoch: UInt32(truncatingIfNeeded: select.int64(at: 4) ?? 0),
                                    chunkCount: select.int(at: 5) ?? 0, examinedChunks: select.int(at: 6) ?? 0,
                                    newChunks: select.int(at: 7) ?? 0, newFrameBytes: select.int(at: 8) ?? 0))
        }
        return rows
    }

    /// The chunk references of snapshot `id`, by chunk index.
    package func chunkRefs(snapshotID id: Int64) throws(JournalError) -> [ChunkRef] {
        let select = try statement("SELECT chunk_index, hash FROM snapshot_chunks WHERE snapshot_id = ? ORDER BY chunk_index")
        defer { select.reset() }
        select.bind(id, at: 1)
        var refs: [ChunkRef] = []
        while try select.step() {
            refs.append(ChunkRef(index: select.uint64(at: 0) ?? 0, hash: select.uint64(at: 1) ?? 0))
        }
        return refs
    }

    /// Checkpoint `id`'s engine state; nil when the snapshot has none.
    package func checkpointState(snapshotID id: Int64) throws(JournalError) -> CheckpointStateRow? {
        let select = try statement("SELECT state, state_format, state_bytes FROM checkpoints WHERE snapshot_id = ?")
        defer { select.reset() }
        select.bind(id, at: 1)
        guard try select.step() else { return nil }
        return CheckpointStateRow(frame: Self.bytes(select, at: 0), format: select.int(at: 1) ?? 0, rawBytes: select.int(at: 2) ?? 0)
    }
}
