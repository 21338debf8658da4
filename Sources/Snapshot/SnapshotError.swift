/// A snapshot that cannot be read back. Corruption of stored chunk data is reported as
/// corruption of the store (the journal) — never as a difference in memory.
///
/// The problem comes with as much of its place as the code that found it knows: the
/// chunk's hash, then (added on the way up) its index and the snapshot's name.
public struct SnapshotError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// The stored bytes are not a well-formed LZ4 frame, or not of a whole chunk.
        case corruptFrame(String)
        /// The frame decompressed, but its XXH3 hash is not the one it is stored under.
        case checksumMismatch(actual: UInt64)
        /// A manifest names a chunk the store does not have.
        case missingChunk
        /// A snapshot lists fewer (or more) chunks than it says it holds.
        case incompleteManifest(expected: Int, found: Int)
        /// A chunk index whose address lies beyond 64-bit physical memory.
        case chunkOutOfRange
        /// No snapshot of this name was taken before the op that asks for it.
        case unknownSnapshot
    }

    public var problem: Problem
    /// The chunk's content hash, for chunk problems.
    public var hash: UInt64?
    /// The chunk's index (`phys / 64 KiB`), once known.
    public var chunkIndex: UInt64?
    /// The snapshot's name and the op it was taken after, once known.
    public var snapshot: String?
    public var sequence: Int?

    public init(_ problem: Problem, hash: UInt64? = nil, chunkIndex: UInt64? = nil, snapshot: String? = nil, sequence: Int? = nil) {
        self.problem = problem; self.hash = hash; self.chunkIndex = chunkIndex
        self.snapshot = snapshot; self.sequence = sequence
    }

    /// The same problem, placed at chunk `index`.
    func at(chunk index: UInt64) -> SnapshotError {
        var placed = self
        placed.chunkIndex = placed.chunkIndex ?? index
        return placed
    }

    /// The same problem, placed in the snapshot `name` taken after op `sequence`.
    public func `in`(snapshot name: String, sequence: Int?) -> SnapshotError {
        var placed = self
        placed.snapshot = placed.snapshot ?? name
        placed.sequence = placed.sequence ?? sequence
        return placed
    }

    /// Whether the stored data is damaged, as opposed to a snapshot that was asked for
    /// and never taken.
    public var isCorruption: Bool { problem != .unknownSnapshot }

    public var description: String {
        var place: [String] = []
        if let snapshot { place.append("snapshot '\(snapshot)'" + (sequence.map { " (after seq \($0))" } ?? "")) }
        if let chunkIndex {
            let phys = SnapshotManifest.isValid(chunkIndex: chunkIndex) ? " (phys 0x\(String(SnapshotManifest.phys(ofChunk: chunkIndex), radix: 16)))" : ""
            place.append("chunk \(chunkIndex)\(phys)")
        }
        if let hash { place.append("hash \(ChunkHash(hash).hex)") }
        let prefix = place.isEmpty ? "" : place.joined(separator: ", ") + ": "
        return prefix + problemText
    }

    private var problemText: String {
        switch problem {
        case .corruptFrame(let reason): return "corrupt LZ4 frame: \(reason)"
        case .checksumMismatch(let actual): return "decompressed data fails its XXH3 checksum (hashes to \(ChunkHash(actual).hex))"
        case .missingChunk: return "chunk data is missing"
        case .incompleteManifest(let expected, let found): return "the snapshot lists \(found) chunks, its row says \(expected)"
        case .chunkOutOfRange: return "the chunk index lies beyond 64-bit physical memory"
        case .unknownSnapshot: return "no such snapshot was taken"
        }
    }
}
