/// Decompresses stored chunks into one reusable 64 KiB buffer and checks each against
/// its XXH3 hash, so damaged data is caught as corruption before anyone compares it.
final class ChunkReader {
    /// The last chunk read (or zeros before the first read).
    private(set) var buffer = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    /// Reads the chunk stored under `hash` into `buffer`.
    func read(_ hash: ChunkHash, from store: some ChunkStore) throws {
        let frame: [UInt8]
        do {
            frame = try store.frame(hash)
        } catch var error as SnapshotError {
            error.hash = error.hash ?? hash.value
            throw error
        }
        let decoded = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(LZ4FrameError) -> Int in try LZ4FrameCodec.decode(frame, into: bytes) }
        }
        let size: Int
        switch decoded {
        case .success(let count): size = count
        case .failure(let error): throw SnapshotError(.corruptFrame(error.reason), hash: hash.value)
        }
        guard size == SnapshotManifest.chunkBytes else {
            throw SnapshotError(.corruptFrame("content size \(size), not a whole chunk"), hash: hash.value)
        }
        let actual = buffer.withUnsafeBytes { ChunkHash(of: $0) }
        guard actual == hash else { throw SnapshotError(.checksumMismatch(actual: actual.value), hash: hash.value) }
    }

    /// Calls `body` with the bytes of chunk `hash`, or 64 KiB of zeros for an elided chunk.
    func withChunk<R>(_ hash: ChunkHash?, from store: some ChunkStore, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let hash else { return try ChunkReader.zeroChunk.withUnsafeBytes(body) }
        try read(hash, from: store)
        return try buffer.withUnsafeBytes(body)
    }

    static let zeroChunk = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)
}
