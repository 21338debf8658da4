import DMASim

/// Memory in snapshot chunks: 64 KiB, sixteen 4 KiB pages.
extension Engine {
    /// Copies chunk `index` (`phys / 64 KiB`) into `destination` (64 KiB), zeros for
    /// pages never written.
    func copyChunk(_ index: UInt64, into destination: UnsafeMutableRawBufferPointer) {
        for (offset, page) in SnapshotManifest.pages(ofChunk: index).enumerated() {
            let target = destination.baseAddress! + offset * Engine.memoryPageBytes
            if !copyPage(page, into: target) {
                target.initializeMemory(as: UInt8.self, repeating: 0, count: Engine.memoryPageBytes)
            }
        }
    }

    /// The chunks holding a page with backing (written since `epoch`), ascending.
    func touchedChunks(writtenSince epoch: UInt32 = 0) -> [UInt64] {
        var indexes: [UInt64] = []
        for page in touchedPages(writtenSince: epoch) {
            let index = page / SnapshotManifest.pagesPerChunk
            if indexes.last != index { indexes.append(index) }
        }
        return indexes
    }
}
