/// Backing bytes for physical memory, allocated only for pages that have been written.
///
/// A dictionary maps a 4 KiB page number to a slot in a dense arena of 1 MiB chunks, so
/// the cost is the bytes touched plus one dictionary entry per touched page — never
/// anything per page of the region (a 1 TiB region costs nothing until written). Pages
/// that were never written read as zero. (Measured on this machine: one huge sparse mmap
/// costs as much again in kernel page tables; a page-number dictionary into an arena did not.)
final class SparsePageStore {
    static let pageShift: UInt64 = 12
    static let pageBytes = 4096
    static let pagesPerChunk = 256

    private var slotOfPage: [UInt64: Int32] = [:]
    private var chunks: [UnsafeMutableRawPointer] = []
    private var pagesInUse = 0

    init() {}

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Number of pages that have backing.
    var touchedPageCount: Int { pagesInUse }

    /// The page's bytes if it was ever written, nil for a page that still reads as zero.
    func existingPage(_ pageNumber: UInt64) -> UnsafeMutableRawPointer? {
        guard let slot = slotOfPage[pageNumber] else { return nil }
        return pointer(toSlot: Int(slot))
    }

    /// The page's bytes, allocating a zeroed page on first use.
    func page(_ pageNumber: UInt64) -> UnsafeMutableRawPointer {
        if let slot = slotOfPage[pageNumber] { return pointer(toSlot: Int(slot)) }
        let slot = pagesInUse
        if slot % Self.pagesPerChunk == 0 { appendChunk() }
        pagesInUse += 1
        slotOfPage[pageNumber] = Int32(slot)
        return pointer(toSlot: slot)
    }

    /// Page numbers with backing, ascending (for snapshots and tests).
    func touchedPages() -> [UInt64] { slotOfPage.keys.sorted() }

    private func pointer(toSlot slot: Int) -> UnsafeMutableRawPointer {
        chunks[slot / Self.pagesPerChunk] + (slot % Self.pagesPerChunk) * Self.pageBytes
    }

    private func appendChunk() {
        let bytes = Self.pagesPerChunk * Self.pageBytes
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.pageBytes)
        chunk.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        chunks.append(chunk)
    }
}
