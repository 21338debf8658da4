/// Which original bytes a bounce address stands for: the address arithmetic of
/// `swiotlb_bounce()` (kernel/dma/swiotlb.c), without the copy.
extension SwiotlbPool {
    /// One copy `swiotlb_bounce()` would make: `lengthBytes` between `tlb` and `orig`.
    struct BounceSpan: Hashable {
        var tlb: UInt64
        var orig: UInt64
        var lengthBytes: UInt64
        /// The request ran past the allocation and was cut to it: the kernel's
        /// "Buffer overflow detected" dev_WARN_ONCE, with the sizes it prints.
        var overflow: Overflow?
    }

    struct Overflow: Hashable {
        var allocationBytes: UInt64
        var mappingBytes: UInt64
    }

    /// The span `swiotlb_bounce(dev, tlb, size, dir)` copies, or nil when the slot is
    /// free (`orig_addr == INVALID_PHYS_ADDR`: the kernel returns without copying).
    /// `tlb` may point into any slot of an allocation, as a partial sync does.
    func bounceSpan(tlb: UInt64, lengthBytes: UInt64, minAlignMask: UInt64) -> BounceSpan? {
        guard contains(tlb) else { return nil }
        let slot = slots[Int((tlb - base) >> Self.slotShift)]
        guard slot.origAddr != Self.invalidAddress else { return nil }
        // "It's valid for tlb_offset to be negative."
        let tlbOffset = Int64(tlb & (Self.slotBytes - 1))
            - Int64(Self.alignOffset(minAlignMask: minAlignMask, alignMask: 0, slot.origAddr))
        let orig = UInt64(bitPattern: Int64(bitPattern: slot.origAddr) + tlbOffset)
        let allocation = max(0, slot.allocSize - tlbOffset)
        var span = BounceSpan(tlb: tlb, orig: orig, lengthBytes: lengthBytes, overflow: nil)
        if lengthBytes > UInt64(allocation) {
            span.overflow = Overflow(allocationBytes: UInt64(allocation), mappingBytes: lengthBytes)
            span.lengthBytes = UInt64(allocation)
        }
        return span
    }
}
