/// The swiotlb bounce pool (kernel/dma/swiotlb.c) as one `io_tlb_pool` with one area:
/// `IO_TLB_SIZE` = 2 KiB slots over `[base, base + size)`, grouped in segments of
/// `IO_TLB_SEGSIZE` = 128 slots that no allocation crosses.
///
/// Per slot it keeps what the kernel keeps in `struct io_tlb_slot`: `list` (free slots
/// from here to the end of the segment, 0 when used), `orig_addr` (the original buffer
/// this slot bounces, `INVALID_PHYS_ADDR` when free), `alloc_size` and `pad_slots`. The
/// pool is small (a 64 MiB pool is 32768 slots), so per-slot metadata costs little; the
/// memory it bounces lives in `PhysicalMemory` like any other RAM.
///
/// This type only allocates, releases and answers "which original bytes does this slot
/// stand for"; the copies are the engine's (`Engine+Swiotlb`), because they are CPU
/// accesses and go through the CPU cache model.
struct SwiotlbPool {
    /// `IO_TLB_SHIFT`.
    static let slotShift: UInt64 = 11
    /// `IO_TLB_SIZE`.
    static let slotBytes: UInt64 = 1 << slotShift
    /// `IO_TLB_SEGSIZE`: the largest allocation is one segment, 256 KiB.
    static let segmentSlots = 128
    /// `INVALID_PHYS_ADDR`.
    static let invalidAddress = UInt64.max
    /// The largest pool the simulator declares: 1 GiB is 512 Ki slots of metadata (the
    /// kernel's default pool is 64 MiB, `IO_TLB_DEFAULT_SIZE`).
    static let maxBytes: UInt64 = 1 << 30
    /// PAGE_SIZE for the "allocations ≥ PAGE_SIZE are page aligned" rule.
    static let pageBytes: UInt64 = 4096

    struct Slot: Hashable {
        var list: Int
        var origAddr: UInt64 = SwiotlbPool.invalidAddress
        var allocSize: Int64 = 0
        var padSlots = 0
    }

    let base: UInt64
    let sizeBytes: UInt64
    var slots: [Slot]
    /// `area->index`: where the next search starts (next fit, wrapping to 0).
    var searchIndex = 0
    /// `area->used`.
    var usedSlots = 0

    /// `swiotlb_init_io_tlb_pool()`: every slot free, `list` counting down to the end of
    /// its segment. `sizeBytes` is a multiple of a segment (the kernel rounds `nslabs` up
    /// to `IO_TLB_SEGSIZE`; the topology op asks for it rounded).
    init(base: UInt64, sizeBytes: UInt64) {
        precondition(sizeBytes % (Self.slotBytes * UInt64(Self.segmentSlots)) == 0, "pool size must be whole segments")
        self.base = base
        self.sizeBytes = sizeBytes
        let count = Int(sizeBytes >> Self.slotShift)
        slots = (0..<count).map { Slot(list: Self.segmentSlots - Self.segmentOffset($0)) }
    }

    var slotCount: Int { slots.count }

    /// `is_swiotlb_buffer()`.
    func contains(_ phys: UInt64) -> Bool { phys >= base && phys - base < sizeBytes }

    /// `io_tlb_offset()`: a slot's position inside its segment.
    static func segmentOffset(_ index: Int) -> Int { index & (segmentSlots - 1) }

    /// `nr_slots()`.
    static func slotsFor(_ bytes: UInt64) -> Int { Int((bytes + slotBytes - 1) >> slotShift) }

    /// `swiotlb_align_offset(dev, align_mask, addr)`: the bits of `addr` covered by the
    /// device's `min_align_mask` that the bounce address must repeat, below the slot
    /// size plus whatever `alignMask` adds.
    static func alignOffset(minAlignMask: UInt64, alignMask: UInt64, _ addr: UInt64) -> UInt64 {
        addr & minAlignMask & (alignMask | (slotBytes - 1))
    }

    func slotAddress(_ index: Int) -> UInt64 { base + UInt64(index) << Self.slotShift }
}
