import Testing
@testable import DMASim

/// Reserved page backing (what a snapshot restore fills on worker threads): only the
/// pages bound to a reservation get backing; the rest are holes that are never pages.
@Suite struct PageBackingTests {
    @Test func onlyBoundPagesOfAReservationHaveBacking() {
        let engine = Engine()
        let reservation = engine.reservePageBacking(16)
        for index in [2, 5] {
            reservation.page(index).initializeMemory(as: UInt8.self, repeating: UInt8(index), count: Engine.memoryPageBytes)
            engine.bindPageBacking(0x1000 + UInt64(index), to: reservation, at: index)
        }
        #expect(engine.touchedPages() == [0x1002, 0x1005])
        #expect(engine.memory.store.touchedPageCount == 2)
        #expect(engine.pageBytes(0x1005) == UnsafeRawPointer(reservation.page(5)))
        #expect(engine.pageBytes(0x1003) == nil)
        #expect(engine.pageBytes(0x1002)!.load(fromByteOffset: 4095, as: UInt8.self) == 2)
    }

    /// A reservation lies inside one 64 MiB arena chunk: one that would cross the end
    /// starts at the next chunk, and pages allocated one by one carry on after it.
    @Test func aReservationNeverCrossesAnArenaChunk() {
        let store = SparsePageStore()
        for page in 0..<UInt64(SparsePageStore.pagesPerChunk - 8) { _ = store.page(page) }
        let (first, bytes) = store.reserveSlots(16)
        #expect(first == SparsePageStore.pagesPerChunk)
        store.bind(1 << 30, toSlot: first + 15)
        #expect(store.existingPage(1 << 30) == bytes + 15 * SparsePageStore.pageBytes)
        _ = store.page(1 << 31)
        #expect(store.touchedPageCount == SparsePageStore.pagesPerChunk - 8 + 2)
        #expect(store.pagesWritten(since: 0).suffix(2) == [1 << 30, 1 << 31])
    }
}
