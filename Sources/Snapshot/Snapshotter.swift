import DMASim

/// Takes and restores snapshots of an engine's physical memory: 64 KiB chunks, zero
/// chunks elided, each distinct chunk hashed (XXH3), LZ4-framed and stored once.
/// Incremental: after the first snapshot only chunks holding pages written since the
/// previous one are read, hashed and compressed again.
public final class Snapshotter {
    public struct Statistics: Equatable, Sendable {
        /// Chunks examined (holding at least one page written since the base snapshot).
        public var chunksExamined = 0
        /// Examined chunks that were all zero, elided.
        public var zeroChunks = 0
        /// Chunks new to the store: the only ones compressed and written.
        public var chunksStored = 0
        public var rawBytesStored = 0
        public var compressedBytesStored = 0

        public init() {}
    }

    private let codec = LZ4FrameCodec()
    private var buffer = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    public init() {}

    /// Snapshots `engine`'s memory into `store`. With `base`, starts from that manifest and
    /// re-reads only chunks with pages written since it. Ends the engine's write epoch.
    public func capture<Store: ChunkStore>(_ engine: Engine, into store: inout Store, base: SnapshotManifest? = nil)
        throws -> (SnapshotManifest, Statistics) {
        var manifest = base ?? SnapshotManifest()
        var statistics = Statistics()
        // Pages carry the epoch they were last written in; the base ended its epoch.
        let pages = engine.touchedPages(writtenSince: base.map { $0.epoch + 1 } ?? 0)
        for chunkIndex in Self.chunkIndexes(of: pages) {
            statistics.chunksExamined += 1
            guard let hash = try captureChunk(chunkIndex, of: engine, into: &store, statistics: &statistics) else {
                manifest.chunks[chunkIndex] = nil
                statistics.zeroChunks += 1
                continue
            }
            manifest.chunks[chunkIndex] = hash
        }
        manifest.epoch = engine.startMemoryEpoch()
        return (manifest, statistics)
    }

    /// Writes the snapshot back into `engine`: chunks it holds are restored, and pages the
    /// engine has outside them are zeroed.
    public func restore<Store: ChunkStore>(_ manifest: SnapshotManifest, from store: Store, into engine: Engine) throws {
        for chunkIndex in Self.chunkIndexes(of: engine.touchedPages()) where manifest.chunks[chunkIndex] == nil {
            for page in Self.pages(of: chunkIndex) { engine.zeroPage(page) }
        }
        for chunkIndex in manifest.sortedChunkIndexes {
            try load(manifest.chunks[chunkIndex]!, from: store)
            buffer.withUnsafeBytes { bytes in
                for (offset, page) in Self.pages(of: chunkIndex).enumerated() {
                    engine.restorePage(page, from: bytes.baseAddress! + offset * Engine.memoryPageBytes)
                }
            }
        }
    }

    /// The chunk's bytes as the snapshot holds them (zero when absent).
    public func chunkBytes<Store: ChunkStore>(_ chunkIndex: UInt64, of manifest: SnapshotManifest, from store: Store) throws -> [UInt8] {
        guard let hash = manifest.chunks[chunkIndex] else { return [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes) }
        try load(hash, from: store)
        return buffer
    }

    /// Decompresses a stored chunk into the buffer and checks its hash.
    private func load<Store: ChunkStore>(_ hash: ChunkHash, from store: Store) throws {
        let frame = try store.frame(hash)
        let size = try buffer.withUnsafeMutableBytes { try LZ4FrameCodec.decode(frame, into: $0, hash: hash.value) }
        guard size == SnapshotManifest.chunkBytes else {
            throw SnapshotError.corruptChunk(hash: hash.value, reason: "content size \(size), not a whole chunk")
        }
        let actual = buffer.withUnsafeBytes { ChunkHash(of: $0) }
        guard actual == hash else { throw SnapshotError.checksumMismatch(expected: hash.value, actual: actual.value) }
    }

    /// Reads one chunk from the engine; nil when it is all zero.
    private func captureChunk<Store: ChunkStore>(_ chunkIndex: UInt64, of engine: Engine, into store: inout Store,
                                                 statistics: inout Statistics) throws -> ChunkHash? {
        let hash: ChunkHash? = buffer.withUnsafeMutableBytes { bytes in
            var anyData = false
            for (offset, page) in Self.pages(of: chunkIndex).enumerated() {
                let target = bytes.baseAddress! + offset * Engine.memoryPageBytes
                if !engine.copyPage(page, into: target) {
                    target.initializeMemory(as: UInt8.self, repeating: 0, count: Engine.memoryPageBytes)
                }
            }
            anyData = !Self.isZero(UnsafeRawBufferPointer(bytes))
            return anyData ? ChunkHash(of: UnsafeRawBufferPointer(bytes)) : nil
        }
        guard let hash else { return nil }
        if !store.contains(hash) {
            let frame = buffer.withUnsafeBytes { codec.encode($0) }
            try store.put(hash, frame: frame, rawBytes: SnapshotManifest.chunkBytes)
            statistics.chunksStored += 1
            statistics.rawBytesStored += SnapshotManifest.chunkBytes
            statistics.compressedBytesStored += frame.count
        }
        return hash
    }

    static func chunkIndexes(of pages: [UInt64]) -> [UInt64] {
        var indexes: [UInt64] = []
        for page in pages {
            let index = page / SnapshotManifest.pagesPerChunk
            if indexes.last != index { indexes.append(index) }
        }
        return indexes
    }

    static func pages(of chunkIndex: UInt64) -> Range<UInt64> {
        let first = chunkIndex * SnapshotManifest.pagesPerChunk
        return first..<first + SnapshotManifest.pagesPerChunk
    }

    /// Word-at-a-time zero test.
    static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] != 0 { return false }
            index += 1
        }
        return true
    }
}
