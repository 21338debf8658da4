import DMASim
import Journal
import Snapshot

/// Snapshots kept in a journal's tables (schema/003-snapshots.sql): the `SnapshotStorage`
/// a `SnapshotKeeper` writes to while recording, and reads from when verifying or
/// loading a checkpoint. The Snapshot module knows nothing of SQLite and the Journal
/// module nothing of chunks and manifests; this type is where the two meet.
public final class JournalSnapshotStorage: SnapshotStorage {
    package let tables: SnapshotTables

    package init(tables: SnapshotTables) { self.tables = tables }

    public func contains(_ hash: ChunkHash) throws -> Bool { try tables.containsChunk(hash: hash.value) }

    public func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) throws {
        try tables.insertChunk(hash: hash.value, rawBytes: rawBytes, frame: frame)
    }

    public func frame(_ hash: ChunkHash) throws -> [UInt8] {
        guard let frame = try tables.chunkFrame(hash: hash.value) else { throw SnapshotError(.missingChunk, hash: hash.value) }
        return frame
    }

    /// Inserts the snapshot's row and chunk references, and for a checkpoint the engine's
    /// state, LZ4-framed.
    public func save(_ record: SnapshotRecord, of engine: Engine) throws {
        // Invariant: sortedChunkIndexes are the keys of manifest.chunks.
        let refs = record.manifest.sortedChunkIndexes.map { ChunkRef(index: $0, hash: record.manifest.chunks[$0]!.value) }
        let statistics = record.statistics
        let row = SnapshotRow(name: record.name, seq: record.sequence, kind: record.kind.rawValue, epoch: record.manifest.epoch,
                              chunkCount: refs.count, examinedChunks: statistics.chunksExamined,
                              newChunks: statistics.chunksStored, newFrameBytes: statistics.compressedBytesStored)
        let id = try tables.insertSnapshot(row, chunks: refs)
        if record.kind == .checkpoint { try tables.insertCheckpointState(snapshotID: id, CheckpointState.row(of: engine)) }
    }

    public func latestSnapshot(named name: String, atOrBefore sequence: Int) throws -> SnapshotRecord? {
        try tables.latestSnapshot(named: name, atOrBefore: sequence).map(record(of:))
    }

    /// The snapshot a row describes, with its chunk references read back; a snapshot
    /// whose references are fewer or more than its row says, or that names a chunk beyond
    /// physical memory, is corrupt.
    package func record(of row: SnapshotRow) throws -> SnapshotRecord {
        let refs = try tables.chunkRefs(snapshotID: row.id ?? -1)
        guard refs.count == row.chunkCount else {
            throw SnapshotError(.incompleteManifest(expected: row.chunkCount, found: refs.count), snapshot: row.name, sequence: row.seq)
        }
        var chunks: [UInt64: ChunkHash] = [:]
        for ref in refs {
            guard SnapshotManifest.isValid(chunkIndex: ref.index) else {
                throw SnapshotError(.chunkOutOfRange, chunkIndex: ref.index, snapshot: row.name, sequence: row.seq)
            }
            chunks[ref.index] = ChunkHash(ref.hash)
        }
        return SnapshotRecord(name: row.name, sequence: row.seq, kind: SnapshotRecord.Kind(rawValue: row.kind) ?? .snapshot,
                              manifest: SnapshotManifest(chunks: chunks, epoch: row.epoch))
    }
}
