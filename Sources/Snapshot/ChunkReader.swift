/// Decompresses stored chunks into one reusable 64 KiB buffer and checks each against
/// its XXH3 hash, so damaged data is caught as corruption before anyone compares it.
final class ChunkReader {
    /// The last chunk read (or zeros before the first read).
    private(set) var buffer = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    /// Reads the chunk stored under `hash` into `buffer`.
    func read(_ hash: ChunkHash, from store: some ChunkStore) throws {
        let frame = try Self.frame(hash, from: store)
        let decoded = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(SnapshotError) in try Self.decode(frame, hash: hash, into: bytes) }
        }
        try decoded.get()
    }

    /// Calls `body` with the bytes of chunk `hash`, or 64 KiB of zeros for an elided chunk.
    func withChunk<R>(_ hash: ChunkHash?, from store: some ChunkStore, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let hash else { return try ChunkReader.zeroChunk.withUnsafeBytes(body) }
        try read(hash, from: store)
        return try buffer.withUnsafeBytes(body)
    }

    static let zeroChunk = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    /// The frame stored under `hash`; a store's error names the hash.
    static func frame(_ hash: ChunkHash, from store: some ChunkStore) throws -> [UInt8] {
        do {
            return try store.frame(hash)
        } catch var error as SnapshotError {
            error.hash = error.hash ?? hash.value
            throw error
        }
    }

    /// Decompresses `frame` into `destination` (64 KiB) and checks the result against
    /// `hash`. Touches nothing but its arguments, so workers may run it side by side.
    static func decode(_ frame: [UInt8], hash: ChunkHash, into destination: UnsafeMutableRawBufferPointer) throws(SnapshotError) {
        let size: Int
        do {
            size = try LZ4FrameCodec.decode(frame, into: destination)
        } catch {
            throw SnapshotError(.corruptFrame(error.reason), hash: hash.value)
        }
        guard size == SnapshotManifest.chunkBytes else {
            throw SnapshotError(.corruptFrame("content size \(size), not a whole chunk"), hash: hash.value)
        }
        let actual = ChunkHash(of: UnsafeRawBufferPointer(destination))
        guard actual == hash else { throw SnapshotError(.checksumMismatch(actual: actual.value), hash: hash.value) }
    }
}
