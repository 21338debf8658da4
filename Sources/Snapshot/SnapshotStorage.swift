import DMASim

/// One stored snapshot: its name, the op it was taken after, and its chunks.
public struct SnapshotRecord: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Memory only.
        case snapshot
        /// Memory and the engine's state: a replay can start here.
        case checkpoint
    }

    public var name: String
    /// The op the snapshot was taken after; -1 before the first op.
    public var sequence: Int
    public var kind: Kind
    public var manifest: SnapshotManifest
    /// What the capture examined and stored (zeros for a snapshot read back from storage
    /// that does not keep them).
    public var statistics: Snapshotter.Statistics

    public init(name: String, sequence: Int, kind: Kind, manifest: SnapshotManifest, statistics: Snapshotter.Statistics = .init()) {
        self.name = name; self.sequence = sequence; self.kind = kind; self.manifest = manifest; self.statistics = statistics
    }
}

/// Where a `SnapshotKeeper` keeps snapshots: chunks (shared), and one record per snapshot.
/// The journal is one (Checkpoint module), `InMemorySnapshotStorage` another.
public protocol SnapshotStorage: ChunkStore {
    /// Stores `record`, taken of `engine` just now. A storage that keeps engine state
    /// stores it for a checkpoint.
    func save(_ record: SnapshotRecord, of engine: Engine) throws
    /// The latest snapshot named `name` taken after an op at or before `sequence`; nil if
    /// there is none.
    func latestSnapshot(named name: String, atOrBefore sequence: Int) throws -> SnapshotRecord?
}

/// Snapshots kept in memory, for scripts run without a journal and for replays.
public final class InMemorySnapshotStorage: SnapshotStorage {
    private let chunks = InMemoryChunkStore()
    public private(set) var records: [SnapshotRecord] = []

    public init() {}

    public func contains(_ hash: ChunkHash) -> Bool { chunks.contains(hash) }
    public func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) { chunks.put(hash, frame: frame, rawBytes: rawBytes) }
    public func frame(_ hash: ChunkHash) throws -> [UInt8] { try chunks.frame(hash) }

    public func save(_ record: SnapshotRecord, of engine: Engine) { records.append(record) }

    public func latestSnapshot(named name: String, atOrBefore sequence: Int) -> SnapshotRecord? {
        records.last { $0.name == name && $0.sequence <= sequence }
    }
}
