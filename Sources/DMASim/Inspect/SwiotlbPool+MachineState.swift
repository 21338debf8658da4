/// The pool's used slots as bounce buffers, for `dmajournal state`.
extension SwiotlbPool {
    /// Each allocation `swiotlb_area_find_slots()` made: used slots (`list` 0) whose
    /// `alloc_size` steps down by `IO_TLB_SIZE` from one slot to the next belong to one
    /// (the first holds the mapping's size, each later one 2 KiB less), so a used slot
    /// that does not continue its neighbour starts the next.
    func state(limit: Int) -> SwiotlbState {
        var allocations: [SwiotlbAllocationView] = []
        var total = 0
        var index = 0
        while index < slots.count {
            guard slots[index].list == 0 else { index += 1; continue }
            var end = index + 1
            while end < slots.count, slots[end].list == 0, Self.segmentOffset(end) != 0,
                  slots[end].allocSize == slots[end - 1].allocSize - Int64(Self.slotBytes) {
                end += 1
            }
            total += 1
            if allocations.count < limit {
                allocations.append(SwiotlbAllocationView(
                    firstSlot: index, slotCount: end - index, tlbAddress: slotAddress(index),
                    origAddress: slots[index..<end].first { $0.origAddr != Self.invalidAddress }?.origAddr,
                    allocBytes: slots[index].allocSize, padSlots: slots[index].padSlots))
            }
            index = end
        }
        return SwiotlbState(base: base, sizeBytes: sizeBytes, slotCount: slots.count, usedSlots: usedSlots, searchIndex: searchIndex,
                            allocations: Limited(allocations, total: total, limit: limit))
    }
}
