/// What a snapshot holds: for each non-zero 64 KiB chunk of physical memory, by chunk
/// index (`phys / chunkBytes`), the hash of its content. All-zero chunks are absent.
public struct SnapshotManifest: Equatable, Sendable {
    public static let chunkBytes = 64 * 1024
    public static let pagesPerChunk = UInt64(chunkBytes / 4096)

    public var chunks: [UInt64: ChunkHash]
    /// The engine write epoch this snapshot ended; the next incremental snapshot of the
    /// same engine looks only at pages written in later epochs.
    public var epoch: UInt32

    public init(chunks: [UInt64: ChunkHash] = [:], epoch: UInt32 = 0) {
        self.chunks = chunks
        self.epoch = epoch
    }

    /// Chunk indexes in ascending order (deterministic iteration).
    public var sortedChunkIndexes: [UInt64] { chunks.keys.sorted() }

    /// The chunks whose hash differs from `older` (added or changed), and those `older`
    /// had that this one does not (now all zero).
    public func changes(since older: SnapshotManifest) -> (changed: [UInt64: ChunkHash], zeroed: [UInt64]) {
        let changed = chunks.filter { older.chunks[$0.key] != $0.value }
        let zeroed = older.chunks.keys.filter { chunks[$0] == nil }.sorted()
        return (changed, zeroed)
    }

    /// Chunk indexes whose 64 KiB lie inside the 64-bit physical address space: below
    /// 2^48. Manifests read from a file are checked against it before any page or address
    /// of theirs is computed.
    public static let chunkIndexLimit: UInt64 = 1 << 48

    public static func isValid(chunkIndex index: UInt64) -> Bool { index < chunkIndexLimit }

    /// The 4 KiB page numbers of chunk `index` (a valid one).
    public static func pages(ofChunk index: UInt64) -> Range<UInt64> {
        let first = index * pagesPerChunk
        return first..<first + pagesPerChunk
    }

    /// The physical address chunk `index` starts at.
    public static func phys(ofChunk index: UInt64) -> UInt64 { index * UInt64(chunkBytes) }
}
