import Testing
@testable import DMASim

/// The slot allocator of kernel/dma/swiotlb.c: `swiotlb_tbl_map_single()`,
/// `swiotlb_search_pool_area()`, `swiotlb_release_slots()`, `swiotlb_bounce()`.
@Suite struct SwiotlbPoolTests {
    static let base: UInt64 = 0x100_0000
    static let segment: UInt64 = 256 * 1024

    static func iommuRequest(_ orig: UInt64, _ length: UInt64) -> SwiotlbPool.Request {
        SwiotlbPool.Request(orig: orig, mappingBytes: length, allocAlignMask: 0xFFF, minAlignMask: 0xFFF)
    }

    static func directRequest(_ orig: UInt64, _ length: UInt64) -> SwiotlbPool.Request {
        SwiotlbPool.Request(orig: orig, mappingBytes: length, allocAlignMask: 0, minAlignMask: 0)
    }

    /// `swiotlb_init_io_tlb_pool()`: `list` counts the free slots to the end of each
    /// IO_TLB_SEGSIZE segment.
    @Test func freshPoolCountsDownPerSegment() {
        let pool = SwiotlbPool(base: Self.base, sizeBytes: 2 * Self.segment)
        #expect(pool.slotCount == 256)
        #expect(pool.slots[0].list == 128)
        #expect(pool.slots[127].list == 1)
        #expect(pool.slots[128].list == 128)
        #expect(pool.slots.allSatisfy { $0.origAddr == SwiotlbPool.invalidAddress })
    }

    /// IOMMU paths pass `iova_mask()`: the slot is granule aligned and the bounce address
    /// repeats the original's offset in the granule (`swiotlb_align_offset()`).
    @Test func iommuAllocationKeepsTheGranuleOffset() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: Self.segment)
        let tlb = try pool.mapSingle(Self.iommuRequest(0x1000_0000_0123, 0x200)).get()
        #expect(tlb == Self.base + 0x123)
        #expect(pool.usedSlots == 2)                      // ALIGN(0x200 + 0x123, 4K) = two slots
        #expect(pool.searchIndex == 2)
        #expect(pool.slots[0].origAddr == 0x1000_0000_0123)
        // An offset past the first slot: pad_slots = 1, orig_addr recorded from slot 1.
        let second = try pool.mapSingle(Self.iommuRequest(0x1000_0000_0A00, 0x100)).get()
        #expect(second == Self.base + 0x1A00)
        #expect(pool.slots[3].padSlots == 1)
        #expect(pool.slots[3].origAddr == 0x1000_0000_0A00)
    }

    /// dma-direct passes 0: slot aligned, next fit from `area->index`; sizes of a page or
    /// more start on a page ("Historically, swiotlb allocations >= PAGE_SIZE …").
    @Test func directAllocationIsNextFitAndPageAlignsLargeOnes() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: Self.segment)
        #expect(try pool.mapSingle(Self.directRequest(0x5000_0123, 0x100)).get() == Self.base)
        #expect(try pool.mapSingle(Self.directRequest(0x5000_1000, 0x1000)).get() == Self.base + 0x1000)
        #expect(try pool.mapSingle(Self.directRequest(0x5000_3000, 0x100)).get() == Self.base + 0x2000)
    }

    /// No allocation crosses a segment: the free run `list` stops at its end.
    @Test func allocationsDoNotCrossASegment() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: 2 * Self.segment)
        _ = try pool.mapSingle(Self.directRequest(0x5000_0000, 100 * 2048)).get()
        let second = try pool.mapSingle(Self.directRequest(0x6000_0000, 100 * 2048)).get()
        #expect(second == Self.base + Self.segment)
    }

    /// A full pool fails with what "swiotlb buffer is full" prints; requests beyond one
    /// segment always fail (`swiotlb_find_slots()`).
    @Test func fullPoolAndOversizedRequestsFail() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: Self.segment)
        _ = try pool.mapSingle(Self.directRequest(0x5000_0000, Self.segment)).get()
        guard case .failure(let full) = pool.mapSingle(Self.directRequest(0x6000_0000, 64)) else {
            Issue.record("expected a full pool"); return
        }
        #expect(full.sizeBytes == 64 && full.totalSlots == 128 && full.usedSlots == 128)
        var empty = SwiotlbPool(base: Self.base, sizeBytes: 2 * Self.segment)
        guard case .failure = empty.mapSingle(Self.directRequest(0x5000_0000, Self.segment + 1)) else {
            Issue.record("more than IO_TLB_SEGSIZE slots must fail"); return
        }
    }

    /// `swiotlb_release_slots()` merges the freed run with its free neighbours, so a
    /// pool emptied in any order is as fresh.
    @Test func releaseRestoresTheFreeRuns() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: Self.segment)
        let first = try pool.mapSingle(Self.iommuRequest(0x1000_0000_0123, 0x200)).get()
        let second = try pool.mapSingle(Self.directRequest(0x5000_0000, 0x1800)).get()
        pool.release(tlb: first, minAlignMask: 0xFFF)
        #expect(!pool.isAllocated(first))
        pool.release(tlb: second, minAlignMask: 0)
        #expect(pool.usedSlots == 0)
        #expect(pool.slots == SwiotlbPool(base: Self.base, sizeBytes: Self.segment).slots)
    }

    /// `swiotlb_bounce()` maps any address inside the allocation back to the original,
    /// and cuts a copy at the allocation's end ("Buffer overflow detected").
    @Test func bounceSpanFollowsTheOriginalAndStopsAtTheEnd() throws {
        var pool = SwiotlbPool(base: Self.base, sizeBytes: Self.segment)
        let tlb = try pool.mapSingle(Self.iommuRequest(0x1000_0000_0123, 0x1000)).get()
        let middle = try #require(pool.bounceSpan(tlb: tlb + 0x900, lengthBytes: 0x10, minAlignMask: 0xFFF))
        #expect(middle.orig == 0x1000_0000_0123 + 0x900)
        #expect(middle.overflow == nil)
        let long = try #require(pool.bounceSpan(tlb: tlb, lengthBytes: 0x3000, minAlignMask: 0xFFF))
        #expect(long.lengthBytes == 0x2000 - 0x123)       // two granules allocated, minus the pad
        #expect(long.overflow == SwiotlbPool.Overflow(allocationBytes: 0x2000 - 0x123, mappingBytes: 0x3000))
        pool.release(tlb: tlb, minAlignMask: 0xFFF)
        #expect(pool.bounceSpan(tlb: tlb, lengthBytes: 0x10, minAlignMask: 0xFFF) == nil)
    }
}
