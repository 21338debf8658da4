/// A row of `snapshots`: one memory snapshot or checkpoint, as the journal keeps it.
/// Plain values only; the Snapshot module's types meet these in the Checkpoint module.
package struct SnapshotRow: Sendable, Hashable {
    /// The row id; nil for a row not inserted yet.
    package var id: Int64?
    package var name: String
    /// Taken after this op; -1 before the first op.
    package var seq: Int
    /// `snapshot` or `checkpoint`.
    package var kind: String
    package var epoch: UInt32
    package var chunkCount: Int
    package var examinedChunks: Int
    package var newChunks: Int
    package var newFrameBytes: Int

    package init(id: Int64? = nil, name: String, seq: Int, kind: String, epoch: UInt32, chunkCount: Int,
                examinedChunks: Int = 0, newChunks: Int = 0, newFrameBytes: Int = 0) {
        self.id = id; self.name = name; self.seq = seq; self.kind = kind; self.epoch = epoch
        self.chunkCount = chunkCount; self.examinedChunks = examinedChunks
        self.newChunks = newChunks; self.newFrameBytes = newFrameBytes
    }
}

/// A row of `snapshot_chunks`: which content a snapshot holds at one chunk index.
package struct ChunkRef: Sendable, Hashable {
    /// `phys / 65536`.
    package var index: UInt64
    /// XXH3-64 of the chunk, the key of its row in `chunks`.
    package var hash: UInt64

    package init(index: UInt64, hash: UInt64) { self.index = index; self.hash = hash }
}

/// A row of `checkpoints`: a checkpoint's engine state, LZ4-framed.
package struct CheckpointStateRow: Sendable, Hashable {
    package var frame: [UInt8]
    /// The state encoding's format version.
    package var format: Int
    /// Size of the state before compression.
    package var rawBytes: Int

    package init(frame: [UInt8], format: Int, rawBytes: Int) {
        self.frame = frame; self.format = format; self.rawBytes = rawBytes
    }
}
