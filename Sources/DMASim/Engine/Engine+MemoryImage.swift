/// Read and restore access to simulated physical memory, for snapshots and verification.
/// Pages are 4 KiB, numbered by physical address >> 12; a page never written reads as
/// zero and is never listed.
extension Engine {
    /// The size of a page of simulated memory (4 KiB).
    public static let memoryPageBytes = SparsePageStore.pageBytes

    /// The declared regions, by base address.
    public var memoryRegions: [RegionSpec] { memory.regions }

    /// The current write epoch: pages written from now on carry it.
    package var memoryEpoch: UInt32 { memory.store.epoch }

    /// Ends the current write epoch (a snapshot boundary) and returns it.
    @discardableResult
    package func startMemoryEpoch() -> UInt32 { memory.store.startEpoch() }

    /// Pages with backing, ascending; with `epoch`, only those written during or after it.
    public func touchedPages(writtenSince epoch: UInt32 = 0) -> [UInt64] {
        memory.store.pagesWritten(since: epoch)
    }

    /// Copies page `pageNumber` into `destination` (4 KiB); returns false, writing
    /// nothing, when the page was never written.
    public func copyPage(_ pageNumber: UInt64, into destination: UnsafeMutableRawPointer) -> Bool {
        guard let page = memory.store.existingPage(pageNumber) else { return false }
        destination.copyMemory(from: page, byteCount: SparsePageStore.pageBytes)
        return true
    }

    /// Overwrites page `pageNumber` with 4 KiB from `source` (restore).
    package func restorePage(_ pageNumber: UInt64, from source: UnsafeRawPointer) {
        memory.store.page(pageNumber).copyMemory(from: source, byteCount: SparsePageStore.pageBytes)
    }

    /// Zeroes page `pageNumber` if it has backing (restore of a chunk the snapshot elided).
    package func zeroPage(_ pageNumber: UInt64) {
        guard let page = memory.store.existingPage(pageNumber) else { return }
        page.initializeMemory(as: UInt8.self, repeating: 0, count: SparsePageStore.pageBytes)
    }
}
