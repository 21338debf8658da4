/// Where compressed chunks live, keyed by their XXH3 hash: each distinct chunk is stored
/// once and shared by every snapshot that contains it. The journal keeps them in its
/// `chunks` table (Checkpoint module); `InMemorySnapshotStorage` keeps them in a
/// dictionary for scripts run without a journal.
///
/// A store can fail (a journal on a full disk): its methods throw. A chunk that is not
/// there is a `SnapshotError` with problem `.missingChunk`.
public protocol ChunkStore: AnyObject {
    func contains(_ hash: ChunkHash) throws -> Bool
    /// Stores a frame under `hash`; a hash already present is left as it is.
    func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) throws
    /// The frame stored under `hash`.
    func frame(_ hash: ChunkHash) throws -> [UInt8]
}

/// Chunks in a dictionary.
public final class InMemoryChunkStore: ChunkStore {
    public private(set) var frames: [ChunkHash: [UInt8]] = [:]

    public init() {}

    public var count: Int { frames.count }
    public var compressedBytes: Int { frames.values.reduce(0) { $0 + $1.count } }

    public func contains(_ hash: ChunkHash) -> Bool { frames[hash] != nil }

    public func put(_ hash: ChunkHash, frame: [UInt8], rawBytes: Int) {
        if frames[hash] == nil { frames[hash] = frame }
    }

    public func frame(_ hash: ChunkHash) throws -> [UInt8] {
        guard let frame = frames[hash] else { throw SnapshotError(.missingChunk, hash: hash.value) }
        return frame
    }

    /// Replaces a stored frame (tests use it to corrupt data on purpose).
    public func overwrite(_ hash: ChunkHash, with frame: [UInt8]) { frames[hash] = frame }
}
