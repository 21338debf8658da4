import DMASim

/// Restore: stored chunks back into an engine's memory.
///
/// Pages that are all zero in the snapshot are not given backing (memory stays sparse: a
/// page never written reads as zero anyway); the other pages are copied from the
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
        for start in stride(from: 0, to: indexes.count, by: Self.restoreBatchChunks) {
            let batch = Array(indexes[start..<min(start + Self.restoreBatchChunks, indexes.count)])
            try restoreBatch(batch, of: manifest, from: store, into: engine)
        }
        var rebased = manifest
        rebased.epoch = engine.startMemoryEpoch()
        return rebased
    }

    /// Restores chunks `batch` (ascending). This thread fetches the frames and decides
    /// where every page goes: a page with backing is overwritten in place (cleared if the
    /// snapshot holds it as zero); for the others each chunk gets a reservation of fresh
    /// backing. A worker then decompresses a chunk into its own 64 KiB buffer (hot in its
    /// cache), checks it, and copies its non-zero pages out. Last, this thread binds the
    /// reserved pages that were filled, in address order; the zero ones stay unbacked.
    private func restoreBatch(_ batch: [UInt64], of manifest: SnapshotManifest, from store: some ChunkStore,
                              into engine: Engine) throws {
        buffers.reserve(workers.count)
        // Invariant: `batch` is a slice of manifest.sortedChunkIndexes, the keys of manifest.chunks.
        let hashes = batch.map { manifest.chunks[$0]! }
        let frames = try batch.indices.map { job in try Self.placing(batch[job]) { try ChunkReader.frame(hashes[job], from: store) } }
        var backed: [UnsafeMutableRawPointer?] = []
        backed.reserveCapacity(batch.count * Self.pagesPerChunk)
        var reservations: [PageBackingReservation?] = []
        for chunkIndex in batch {
            let first = backed.count
            for page in SnapshotManifest.pages(ofChunk: chunkIndex) { backed.append(engine.existingPageBacking(page)) }
            reservations.append(backed[first...].contains { $0 == nil } ? engine.reservePageBacking(Self.pagesPerChunk) : nil)
        }
        let decoded = workers.map(batch.count) { job, worker in
            Result { () throws(SnapshotError) -> ZeroPages in
                let chunk = buffers.chunk(worker)
                try ChunkReader.decode(frames[job], hash: hashes[job], into: chunk)
                let zeroPages = ZeroPages(of: UnsafeRawBufferPointer(chunk))
                for offset in 0..<Self.pagesPerChunk {
                    let target = backed[job * Self.pagesPerChunk + offset]
                    if zeroPages.contains(offset) {
                        target?.zeroPage()
                    } else {
                        // Invariant: a nil target is a page without backing, and a chunk with one got a reservation above.
                        (target ?? reservations[job]!.page(offset))
                            .copyMemory(from: chunk.baseAddress! + offset * Self.pageBytes, byteCount: Self.pageBytes)
                    }
                }
                return zeroPages
            }
        }
        // The first damaged chunk in address order is the one reported, whichever worker
        // found it first.
        for (job, result) in decoded.enumerated() {
            let zeroPages = try Self.placing(batch[job]) { try result.get() }
            guard let reservation = reservations[job] else { continue }
            for (offset, page) in SnapshotManifest.pages(ofChunk: batch[job]).enumerated()
            where backed[job * Self.pagesPerChunk + offset] == nil && !zeroPages.contains(offset) {
                engine.bindPageBacking(page, to: reservation, at: offset)
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
