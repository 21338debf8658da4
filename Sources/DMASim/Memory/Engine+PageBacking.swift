/// Direct access to the bytes behind simulated pages, for snapshot capture and restore
/// (the Snapshot module), which move memory a 64 KiB chunk at a time on two threads.
///
/// The engine itself stays single-threaded: only the calling thread resolves page numbers
/// to pointers (the page dictionary is not shared). The pointers then stay valid for the
/// engine's lifetime — backing is never moved or freed while the engine lives — so the
/// caller may hand them to other threads to read or fill, as long as no op runs on the
/// engine meanwhile.
extension Engine {
    /// The bytes of page `pageNumber` (4 KiB), or nil when it was never written (it reads
    /// as zero).
    public func pageBytes(_ pageNumber: UInt64) -> UnsafeRawPointer? {
        memory.store.existingPage(pageNumber).map { UnsafeRawPointer($0) }
    }

    /// The backing of page `pageNumber` (4 KiB) to overwrite, allocated when the page had
    /// none (it then reads as zero until filled). Counts as written in the current epoch.
    public func pageBacking(_ pageNumber: UInt64) -> UnsafeMutableRawPointer {
        memory.store.page(pageNumber)
    }

    /// The backing of page `pageNumber` if it has any; nil for a page that reads as zero
    /// without backing (and should stay so).
    public func existingPageBacking(_ pageNumber: UInt64) -> UnsafeMutableRawPointer? {
        memory.store.existingPage(pageNumber)
    }
}
