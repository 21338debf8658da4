import DMASim

/// Restore: stored chunks back into an engine's memory.
///
/// Pages that are all zero in the snapshot are not given backing (memory stays sparse: a
/// page never written reads as zero anyway); the other pages are copied straight from the
/// decompressed chunk into their backing. Both the decompression and that copy run on the
/// workers: into fresh memory the copy is where the kernel supplies and zeroes pages, the
/// larger cost on this machine, so it is spread over both cores too.
extension Snapshotter {
    /// Writes the snapshot back into `engine`: chunks it holds are restored, and pages the
    /// engine has outside them are zeroed. Returns the manifest as a base for the next
    /// incremental capture of this engine (its epoch is this engine's).
    @discardableResult
    public func restore(_ manifest: SnapshotManifest, from store: some ChunkStore, into engine: Engine) throws -> SnapshotManifest {
        for chunkIndex in engine.touchedChunks() where manifest.chunks[chunkIndex] == nil {
            for page in SnapshotManifest.pages(ofChunk: chunkIndex) { engine.existingPageBacking(page)?.zeroPage() }
        }
        let indexes = manifest.sortedChunkIndexes
        for start in stride(from: 0, to: indexes.count, by: Self.batchChunks) {
            let batch = Array(indexes[start..<min(start + Self.batchChunks, indexes.count)])
            try restoreBatch(batch, of: manifest, from: store, into: engine)
        }
        var rebased = manifest
        rebased.epoch = engine.startMemoryEpoch()
        return rebased
    }

    /// Restores chunks `batch` (ascending): this thread fetches the frames, workers
    /// decompress and check them, this thread finds each page's backing, workers fill it.
    private func restoreBatch(_ batch: [UInt64], of manifest: SnapshotManifest, from store: some ChunkStore,
                              into engine: Engine) throws {
        buffers.reserve(batch.count)
        let hashes = batch.map { manifest.chunks[$0]! }
        let frames = try batch.indices.map { job in try Self.placing(batch[job]) { try ChunkReader.frame(hashes[job], from: store) } }
        let decoded = workers.map(batch.count) { job, _ in
            Result { () throws(SnapshotError) -> ZeroPages in
                let chunk = buffers.chunk(job)
                try ChunkReader.decode(frames[job], hash: hashes[job], into: chunk)
                return ZeroPages(of: UnsafeRawBufferPointer(chunk))
            }
        }
        // The first damaged chunk in address order is the one reported, whichever worker
        // found it first.
        var zeroPages: [ZeroPages] = []
        for (job, result) in decoded.enumerated() {
            zeroPages.append(try Self.placing(batch[job]) { try result.get() })
        }
        // Backing for the non-zero pages; a zero page keeps its backing only if it had
        // some, and is cleared.
        var targets: [UnsafeMutableRawPointer?] = []
        targets.reserveCapacity(batch.count * Self.pagesPerChunk)
        for (job, chunkIndex) in batch.enumerated() {
            for (offset, page) in SnapshotManifest.pages(ofChunk: chunkIndex).enumerated() {
                targets.append(zeroPages[job].contains(offset) ? engine.existingPageBacking(page) : engine.pageBacking(page))
            }
        }
        workers.forEach(batch.count) { job, _ in
            let chunk = buffers.chunk(job)
            for offset in 0..<Self.pagesPerChunk {
                guard let target = targets[job * Self.pagesPerChunk + offset] else { continue }
                if zeroPages[job].contains(offset) {
                    target.zeroPage()
                } else {
                    target.copyMemory(from: chunk.baseAddress! + offset * Self.pageBytes, byteCount: Self.pageBytes)
                }
            }
        }
    }
}

/// Which of a chunk's sixteen 4 KiB pages are all zero, one bit each.
struct ZeroPages: Equatable {
    private var bits: UInt16 = 0

    init(of chunk: UnsafeRawBufferPointer) {
        for offset in 0..<Int(SnapshotManifest.pagesPerChunk) {
            let page = UnsafeRawBufferPointer(rebasing: chunk[offset * Engine.memoryPageBytes..<(offset + 1) * Engine.memoryPageBytes])
            if Snapshotter.isZero(page) { bits |= 1 << offset }
        }
    }

    func contains(_ offset: Int) -> Bool { bits & (1 << offset) != 0 }
}

extension UnsafeMutableRawPointer {
    /// Clears the 4 KiB page starting here.
    fileprivate func zeroPage() {
        initializeMemory(as: UInt8.self, repeating: 0, count: Engine.memoryPageBytes)
    }
}
