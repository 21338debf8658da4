import DMASim

/// Snapshots taken now, in memory, over snapshots stored before (read-only): what a
/// replay keeps, so it re-captures its own checkpoints without writing to the journal
/// and still finds the journal's older ones.
public final class LayeredSnapshotStorage: SnapshotStorage {
    public let upper = InMemorySnapshotStorage()
    public let lower: any SnapshotStorage

    public init(over lower: any SnapshotStorage) { self.lower = lower }

    public func contains(_ hash: ChunkHash) throws -> Bool { try upper.contains(hash) || lower.contains(hash) }

    public func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) { upper.put(hash, frame: frame, rawBytes: rawBytes) }

    public func frame(_ hash: ChunkHash) throws -> [UInt8] {
        upper.contains(hash) ? try upper.frame(hash) : try lower.frame(hash)
    }

    public func save(_ record: SnapshotRecord, of engine: Engine) { upper.save(record, of: engine) }

    /// The later of the two layers' latest snapshots of that name.
    public func latestSnapshot(named name: String, atOrBefore sequence: Int) throws -> SnapshotRecord? {
        let mine = upper.latestSnapshot(named: name, atOrBefore: sequence)
        guard let stored = try lower.latestSnapshot(named: name, atOrBefore: sequence) else { return mine }
        guard let mine else { return stored }
        return mine.sequence >= stored.sequence ? mine : stored
    }
}
