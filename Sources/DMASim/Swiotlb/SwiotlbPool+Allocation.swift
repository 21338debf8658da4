/// Slot allocation and release: `swiotlb_tbl_map_single()` without its copy,
/// `swiotlb_search_pool_area()` and `swiotlb_release_slots()`.
extension SwiotlbPool {
    /// What `swiotlb_tbl_map_single()` needs to know about the request.
    struct Request {
        /// The original (non-bounced) buffer.
        var orig: UInt64
        /// `mapping_size`: the bytes to bounce, without padding.
        var mappingBytes: UInt64
        /// `alloc_align_mask`: `iova_mask()` on the IOMMU paths, 0 for dma-direct.
        var allocAlignMask: UInt64
        /// `dma_get_min_align_mask(dev)`.
        var minAlignMask: UInt64
    }

    /// A failed allocation, with what the "swiotlb buffer is full" warning prints.
    struct Full: Error {
        /// `size`: the request rounded up with its alignment offset.
        var sizeBytes: UInt64
        var totalSlots: Int
        var usedSlots: Int
    }

    /// Whether `request` asks for no slot at all: nothing to bounce and no in-slot offset
    /// to keep, so `size = ALIGN(mapping_size + offset, alloc_align_mask + 1)` is 0 and
    /// `swiotlb_search_pool_area()` meets `BUG_ON(!nslots)` (kernel/dma/swiotlb.c) before
    /// it takes its lock. The caller must not ask `mapSingle` for it.
    static func asksForNoSlot(_ request: Request) -> Bool {
        request.mappingBytes == 0
            && alignOffset(minAlignMask: request.minAlignMask, alignMask: request.allocAlignMask, request.orig) == 0
    }

    /// Allocates slots for `request` and records the original address of each; returns
    /// `tlb_addr`, which repeats the original's low bits under the alignment masks.
    mutating func mapSingle(_ request: Request) -> Result<UInt64, Full> {
        var offset = Self.alignOffset(minAlignMask: request.minAlignMask, alignMask: request.allocAlignMask, request.orig)
        // Beyond one segment nothing fits (`swiotlb_find_slots()`); said before the
        // arithmetic below could overflow. The warning prints the kernel's `size`,
        // `ALIGN(mapping_size + offset, alloc_align_mask + 1)`, where that has a value.
        guard request.mappingBytes <= Self.slotBytes * UInt64(Self.segmentSlots) else {
            let alignment = request.allocAlignMask &+ 1
            let size = request.mappingBytes.adding(offset).flatMap { $0.adding(alignment &- 1) }.map { $0 & ~(alignment &- 1) }
            return .failure(Full(sizeBytes: size ?? request.mappingBytes, totalSlots: slotCount, usedSlots: usedSlots))
        }
        let allocBytes = alignUp(request.mappingBytes + offset, to: request.allocAlignMask + 1)
        guard var index = findSlots(request, allocBytes: allocBytes) else {
            return .failure(Full(sizeBytes: allocBytes, totalSlots: slotCount, usedSlots: usedSlots))
        }
        // "Save away the mapping from the original address to the DMA address."
        let padSlots = Int(offset >> Self.slotShift)
        offset &= Self.slotBytes - 1
        index += padSlots
        slots[index].padSlots = padSlots
        for step in 0..<(Self.slotsFor(allocBytes) - padSlots) {
            // slot_addr(orig_addr, i): phys_addr_t arithmetic, wrapping as the kernel's does.
            slots[index + step].origAddr = request.orig &+ UInt64(step) << Self.slotShift
        }
        return .success(slotAddress(index) + offset)
    }

    /// `swiotlb_find_slots()` → `swiotlb_search_pool_area()` on the one area.
    private mutating func findSlots(_ request: Request, allocBytes: UInt64) -> Int? {
        guard allocBytes <= Self.slotBytes * UInt64(Self.segmentSlots) else { return nil }
        let slotsNeeded = Self.slotsFor(allocBytes)
        var allocAlignMask = request.allocAlignMask
        var iotlbAlignMask = request.minAlignMask
        // "Historically, swiotlb allocations >= PAGE_SIZE were guaranteed to be page-aligned".
        if allocAlignMask == 0 && iotlbAlignMask == 0 && allocBytes >= Self.pageBytes { allocAlignMask = Self.pageBytes - 1 }
        allocAlignMask |= Self.slotBytes - 1
        iotlbAlignMask &= ~allocAlignMask
        let stride = Int(max(allocAlignMask, iotlbAlignMask) >> Self.slotShift) + 1
        guard slotsNeeded <= slotCount - usedSlots else { return nil }
        var index = searchIndex
        var checked = 0
        while checked < slotCount {
            let tlb = slotAddress(index)
            if tlb & allocAlignMask != 0 || (request.orig != 0 && tlb & iotlbAlignMask != request.orig & iotlbAlignMask) {
                index = wrap(index + 1)
                checked += 1
                continue
            }
            if slots[index].list >= slotsNeeded {
                take(index, slotsNeeded, allocBytes: allocBytes, request: request)
                return index
            }
            index = wrap(index + stride)
            checked += stride
        }
        return nil
    }

    /// The `found:` part of the search: mark the slots used, shorten the free run that
    /// ends at them, move the area index past them.
    private mutating func take(_ index: Int, _ count: Int, allocBytes: UInt64, request: Request) {
        let offset = Int64(Self.alignOffset(minAlignMask: request.minAlignMask, alignMask: 0, request.orig))
        for slot in index..<index + count {
            slots[slot].list = 0
            slots[slot].allocSize = Int64(allocBytes) - (offset + Int64(slot - index) << Int64(Self.slotShift))
        }
        renumberFreeRun(endingBefore: index, startingCount: 0)
        searchIndex = wrap(index + count)
        usedSlots += count
    }

    /// `swiotlb_release_slots()`: frees the allocation `tlb` starts, merging it with the
    /// free runs after and before it inside the segment.
    mutating func release(tlb: UInt64, minAlignMask: UInt64) {
        let offset = Self.alignOffset(minAlignMask: minAlignMask, alignMask: 0, tlb)
        var index = Int((tlb - offset - base) >> Self.slotShift)
        index -= slots[index].padSlots
        // A `tlb` inside an allocation (an unlink at another offset than the link) frees
        // from there on, one slot too many, as the kernel does; only the pool's end,
        // which the kernel would run past, bounds it here.
        let count = min(Self.slotsFor(UInt64(max(0, slots[index].allocSize)) + offset), slotCount - index)
        let segmentEnd = (index / Self.segmentSlots + 1) * Self.segmentSlots
        var run = index + count < segmentEnd ? slots[index + count].list : 0
        for slot in stride(from: index + count - 1, through: index, by: -1) {
            run += 1
            slots[slot] = Slot(list: run)
        }
        renumberFreeRun(endingBefore: index, startingCount: run)
        usedSlots -= count
    }

    /// Whether `tlb` is the start of a live allocation's bounce buffer.
    func isAllocated(_ tlb: UInt64) -> Bool {
        contains(tlb) && slots[Int((tlb - base) >> Self.slotShift)].origAddr != Self.invalidAddress
    }

    /// Counts the free slots just before `index` (same segment) on from `startingCount`.
    private mutating func renumberFreeRun(endingBefore index: Int, startingCount: Int) {
        var count = startingCount
        var slot = index - 1
        while slot >= 0, Self.segmentOffset(slot) != Self.segmentSlots - 1, slots[slot].list != 0 {
            count += 1
            slots[slot].list = count
            slot -= 1
        }
    }

    /// `wrap_area_index()`: past the end goes back to 0 (not modulo).
    private func wrap(_ index: Int) -> Int { index >= slotCount ? 0 : index }

    private func alignUp(_ value: UInt64, to alignment: UInt64) -> UInt64 {
        (value + alignment - 1) / alignment * alignment
    }
}
