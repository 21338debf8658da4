import DMASim

/// Takes and restores snapshots of an engine's physical memory: 64 KiB chunks, zero
/// chunks elided, each distinct chunk hashed (XXH3), LZ4-framed and stored once.
/// Incremental: after the first snapshot only chunks holding pages written since the
/// previous one are read, hashed and compressed again.
///
/// Memory here is RAM, as a DRAM dump would show it: a CPU store still sitting in a dirty
/// line of the non-coherent cache model is not in it (the engine state of a checkpoint
/// carries the cache).
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
    private let reader = ChunkReader()
    private var buffer = [UInt8](repeating: 0, count: SnapshotManifest.chunkBytes)

    public init() {}

    /// Snapshots `engine`'s memory into `store`. With `base` (a manifest this engine
    /// produced, by capture or restore), starts from it and re-reads only chunks with pages
    /// written since. Ends the engine's write epoch.
    public func capture(_ engine: Engine, into store: some ChunkStore, base: SnapshotManifest? = nil)
        throws -> (SnapshotManifest, Statistics) {
        var manifest = base ?? SnapshotManifest()
        var statistics = Statistics()
        // Pages carry the epoch they were last written in; the base ended its epoch.
        for chunkIndex in engine.touchedChunks(writtenSince: base.map { $0.epoch + 1 } ?? 0) {
            statistics.chunksExamined += 1
            do {
                manifest.chunks[chunkIndex] = try captureChunk(chunkIndex, of: engine, into: store, statistics: &statistics)
            } catch let error as SnapshotError {
                throw error.at(chunk: chunkIndex)
            }
            if manifest.chunks[chunkIndex] == nil { statistics.zeroChunks += 1 }
        }
        manifest.epoch = engine.startMemoryEpoch()
        return (manifest, statistics)
    }

    /// Writes the snapshot back into `engine`: chunks it holds are restored, and pages the
    /// engine has outside them are zeroed. Returns the manifest as a base for the next
    /// incremental capture of this engine (its epoch is this engine's).
    @discardableResult
    public func restore(_ manifest: SnapshotManifest, from store: some ChunkStore, into engine: Engine) throws -> SnapshotManifest {
        for chunkIndex in engine.touchedChunks() where manifest.chunks[chunkIndex] == nil {
            for page in SnapshotManifest.pages(ofChunk: chunkIndex) { engine.zeroPage(page) }
        }
        for chunkIndex in manifest.sortedChunkIndexes {
            do {
                try reader.read(manifest.chunks[chunkIndex]!, from: store)
            } catch let error as SnapshotError {
                throw error.at(chunk: chunkIndex)
            }
            reader.buffer.withUnsafeBytes { bytes in
                for (offset, page) in SnapshotManifest.pages(ofChunk: chunkIndex).enumerated() {
                    engine.restorePage(page, from: bytes.baseAddress! + offset * Engine.memoryPageBytes)
                }
            }
        }
        var rebased = manifest
        rebased.epoch = engine.startMemoryEpoch()
        return rebased
    }

    /// The chunk's bytes as the snapshot holds them (zero when absent).
    public func chunkBytes(_ chunkIndex: UInt64, of manifest: SnapshotManifest, from store: some ChunkStore) throws -> [UInt8] {
        do {
            return try reader.withChunk(manifest.chunks[chunkIndex], from: store) { Array($0) }
        } catch let error as SnapshotError {
            throw error.at(chunk: chunkIndex)
        }
    }

    /// Reads one chunk from the engine; nil when it is all zero.
    private func captureChunk(_ chunkIndex: UInt64, of engine: Engine, into store: some ChunkStore,
                              statistics: inout Statistics) throws -> ChunkHash? {
        let hash: ChunkHash? = buffer.withUnsafeMutableBytes { bytes in
            engine.copyChunk(chunkIndex, into: bytes)
            return Self.isZero(UnsafeRawBufferPointer(bytes)) ? nil : ChunkHash(of: UnsafeRawBufferPointer(bytes))
        }
        guard let hash else { return nil }
        if try !store.contains(hash) {
            let frame = buffer.withUnsafeBytes { codec.encode($0) }
            try store.put(hash, frame: frame, rawBytes: SnapshotManifest.chunkBytes)
            statistics.chunksStored += 1
            statistics.rawBytesStored += SnapshotManifest.chunkBytes
            statistics.compressedBytesStored += frame.count
        }
        return hash
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
