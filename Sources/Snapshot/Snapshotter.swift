import DMASim

/// Takes and restores snapshots of an engine's physical memory: 64 KiB chunks, zero
/// chunks elided, each distinct chunk hashed (XXH3), LZ4-framed and stored once.
/// Incremental: after the first snapshot only chunks holding pages written since the
/// previous one are read, hashed and compressed again.
///
/// Memory here is RAM, as a DRAM dump would show it: a CPU store still sitting in a dirty
/// line of the non-coherent cache model is not in it (the engine state of a checkpoint
/// carries the cache).
///
/// Chunks go in batches. Within a batch the calling thread does everything that touches
/// the engine or the store, in chunk order; `Workers` hash, compress, decompress and copy
/// the batch's chunks side by side, each into its own buffer. What reaches the store, and
/// in which order, is therefore the same for any number of workers.
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

    /// Chunks per batch. Each batch ends in waiting for the workers, and on a shared
    /// machine a worker the scheduler preempts mid-chunk holds that wait up for a time
    /// slice: few, large batches keep those waits rare. A capture batch keeps a 64 KiB
    /// buffer per chunk it has to gather (16 MiB at most); a restore batch holds its
    /// compressed frames (64 MiB of memory's worth at most) and one buffer per worker.
    static let captureBatchChunks = 256
    static let restoreBatchChunks = 1024
    static let pagesPerChunk = Int(SnapshotManifest.pagesPerChunk)
    static let pageBytes = Engine.memoryPageBytes

    let workers: Workers
    /// One compression state per worker.
    private let codecs: [LZ4FrameCodec]
    let buffers = ChunkBuffers()
    private let reader = ChunkReader()

    /// A snapshotter running `workers` threads per batch (1: all on the calling thread;
    /// the default, 2, is the project machine's core count).
    public init(workers: Int = 2) {
        self.workers = Workers(count: workers)
        codecs = (0..<workers).map { _ in LZ4FrameCodec() }
    }

    /// Snapshots `engine`'s memory into `store`. With `base` (a manifest this engine
    /// produced, by capture or restore), starts from it and re-reads only chunks with pages
    /// written since. Ends the engine's write epoch.
    public func capture(_ engine: Engine, into store: some ChunkStore, base: SnapshotManifest? = nil)
        throws -> (SnapshotManifest, Statistics) {
        var manifest = base ?? SnapshotManifest()
        var statistics = Statistics()
        // Pages carry the epoch they were last written in; the base ended its epoch.
        let indexes = engine.touchedChunks(writtenSince: base.map { $0.epoch + 1 } ?? 0)
        for start in stride(from: 0, to: indexes.count, by: Self.captureBatchChunks) {
            let batch = Array(indexes[start..<min(start + Self.captureBatchChunks, indexes.count)])
            try captureBatch(batch, of: engine, into: store, manifest: &manifest, statistics: &statistics)
        }
        manifest.epoch = engine.startMemoryEpoch()
        return (manifest, statistics)
    }

    /// The chunk's bytes as the snapshot holds them (zero when absent).
    public func chunkBytes(_ chunkIndex: UInt64, of manifest: SnapshotManifest, from store: some ChunkStore) throws -> [UInt8] {
        do {
            return try reader.withChunk(manifest.chunks[chunkIndex], from: store) { Array($0) }
        } catch let error as SnapshotError {
            throw error.at(chunk: chunkIndex)
        }
    }

    /// Captures chunks `batch` (ascending): workers read and hash them, this thread asks
    /// the store which are new, workers compress those, this thread stores the frames.
    private func captureBatch(_ batch: [UInt64], of engine: Engine, into store: some ChunkStore,
                              manifest: inout SnapshotManifest, statistics: inout Statistics) throws {
        buffers.reserve(batch.count)
        let sources = batch.flatMap { SnapshotManifest.pages(ofChunk: $0).map { engine.pageBytes($0) } }
        let examined = workers.map(batch.count) { job, _ in
            let bytes = Self.chunkBytes(sources[job * Self.pagesPerChunk..<(job + 1) * Self.pagesPerChunk], scratch: buffers.chunk(job))
            return (bytes: bytes, hash: Self.isZero(bytes) ? nil : ChunkHash(of: bytes))
        }
        let hashes = examined.map(\.hash)
        var newJobs: [Int] = []
        var scheduled = Set<ChunkHash>()
        for (job, hash) in hashes.enumerated() {
            statistics.chunksExamined += 1
            manifest.chunks[batch[job]] = hash
            guard let hash else {
                statistics.zeroChunks += 1
                continue
            }
            if try Self.placing(batch[job], { try !store.contains(hash) }) && scheduled.insert(hash).inserted {
                newJobs.append(job)
            }
        }
        let frames = workers.map(newJobs.count) { job, worker in
            codecs[worker].encode(examined[newJobs[job]].bytes)
        }
        for (job, frame) in zip(newJobs, frames) {
            try Self.placing(batch[job]) {
                // Invariant: newJobs holds only jobs whose chunk hashed (all-zero chunks `continue` above).
                try store.put(hashes[job]!, frame: frame, rawBytes: SnapshotManifest.chunkBytes)
            }
            statistics.chunksStored += 1
            statistics.rawBytesStored += SnapshotManifest.chunkBytes
            statistics.compressedBytesStored += frame.count
        }
    }

    /// A chunk's 64 KiB, given its pages: read in place when the pages lie one after
    /// another in the engine's backing (pages written in address order usually do), or
    /// else gathered into `scratch`, zeros for pages without backing.
    private static func chunkBytes(_ pages: ArraySlice<UnsafeRawPointer?>, scratch: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        if let first = pages.first!, pages.indices.allSatisfy({ pages[$0] == first + ($0 - pages.startIndex) * pageBytes }) {
            return UnsafeRawBufferPointer(start: first, count: SnapshotManifest.chunkBytes)
        }
        for (offset, page) in pages.enumerated() {
            let target = scratch.baseAddress! + offset * pageBytes
            if let page {
                target.copyMemory(from: page, byteCount: pageBytes)
            } else {
                target.initializeMemory(as: UInt8.self, repeating: 0, count: pageBytes)
            }
        }
        return UnsafeRawBufferPointer(scratch)
    }

    /// Runs `body`, placing a `SnapshotError` it throws at chunk `index`.
    static func placing<R>(_ index: UInt64, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as SnapshotError {
            throw error.at(chunk: index)
        }
    }

    /// Zero test, 64 bytes at a time: OR-ing eight words before one branch lets the
    /// compiler vectorise it, 3.5 times faster than testing each word (0.05 s a GiB here;
    /// a restore scans every zero page in full).
    static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 64 <= bytes.count {
            var any: UInt64 = 0
            for word in 0..<8 { any |= bytes.loadUnaligned(fromByteOffset: index + word * 8, as: UInt64.self) }
            if any != 0 { return false }
            index += 64
        }
        while index < bytes.count {
            if bytes[index] != 0 { return false }
            index += 1
        }
        return true
    }
}
