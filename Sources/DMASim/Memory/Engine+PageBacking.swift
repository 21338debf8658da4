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
    package func pageBytes(_ pageNumber: UInt64) -> UnsafeRawPointer? {
        memory.store.existingPage(pageNumber).map { UnsafeRawPointer($0) }
    }

    /// The backing of page `pageNumber` to overwrite if it has any; nil for a page that
    /// reads as zero without backing.
    package func existingPageBacking(_ pageNumber: UInt64) -> UnsafeMutableRawPointer? {
        memory.store.existingPage(pageNumber)
    }

    /// Fresh backing for up to 16 pages, side by side, belonging to no page yet: the
    /// caller fills the ones it needs (on any thread, as above), then gives each filled
    /// one to its page with `bindPageBacking`. One never bound is never written, so the
    /// kernel never backs it. Reserving before knowing which pages will need it lets a
    /// restore decompress a chunk and copy its pages out in one step on a worker, while
    /// this thread alone, in address order, decides which pages get backing.
    package func reservePageBacking(_ count: Int) -> PageBackingReservation {
        let (first, bytes) = memory.store.reserveSlots(count)
        return PageBackingReservation(firstSlot: first, count: count, bytes: bytes)
    }

    /// Makes page `index` of `reservation` the backing of page `pageNumber` (which has
    /// none), written in the current epoch.
    package func bindPageBacking(_ pageNumber: UInt64, to reservation: PageBackingReservation, at index: Int) {
        precondition(index >= 0 && index < reservation.count)
        memory.store.bind(pageNumber, toSlot: reservation.firstSlot + index)
    }
}

/// Backing reserved by `Engine.reservePageBacking`.
package struct PageBackingReservation {
    let firstSlot: Int
    package let count: Int
    /// The first page's 4 KiB; page `i` starts `i` × 4 KiB further.
    package let bytes: UnsafeMutableRawPointer

    /// Page `index`'s 4 KiB.
    package func page(_ index: Int) -> UnsafeMutableRawPointer { bytes + index * SparsePageStore.pageBytes }
}
