/// Snapshot failures. Corruption of stored chunk data is reported as corruption of the
/// journal — never as a difference in memory.
public enum SnapshotError: Error, Equatable, CustomStringConvertible {
    /// A stored chunk is not a well-formed LZ4 frame, or does not decompress to its size.
    case corruptChunk(hash: UInt64, reason: String)
    /// A chunk decompressed but its XXH3 hash is not the one it is stored under.
    case checksumMismatch(expected: UInt64, actual: UInt64)
    /// A manifest names a chunk the store does not have.
    case missingChunk(hash: UInt64)

    public var description: String {
        switch self {
        case .corruptChunk(let hash, let reason):
            return "corrupt snapshot chunk \(ChunkHash(hash).hex): \(reason)"
        case .checksumMismatch(let expected, let actual):
            return "snapshot chunk \(ChunkHash(expected).hex) fails its checksum (decompressed data hashes to \(ChunkHash(actual).hex))"
        case .missingChunk(let hash):
            return "snapshot chunk \(ChunkHash(hash).hex) is missing from the journal"
        }
    }
}
