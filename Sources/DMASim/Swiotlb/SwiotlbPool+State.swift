/// The pool's slots, segment by segment. A segment as `swiotlb_init_io_tlb_pool()` left
/// it (every slot free, `list` counting down to the segment's end) — most of a pool, most
/// of the time — is one byte; any other segment lists its 128 slots. The area index and
/// used count follow, so the next search starts where the original's would.
extension SwiotlbPool {
    private static let freshSegmentTag: UInt8 = 0
    private static let listedSegmentTag: UInt8 = 1

    func encode(to writer: inout StateWriter) {
        writer.varint(base)
        writer.varint(sizeBytes)
        writer.varint(searchIndex)
        writer.varint(usedSlots)
        for segmentStart in stride(from: 0, to: slotCount, by: Self.segmentSlots) {
            let segment = slots[segmentStart..<segmentStart + Self.segmentSlots]
            if segment.indices.allSatisfy({ segment[$0] == Self.freshSlot($0) }) {
                writer.byte(Self.freshSegmentTag)
                continue
            }
            writer.byte(Self.listedSegmentTag)
            for slot in segment {
                writer.varint(slot.list)
                // INVALID_PHYS_ADDR (all ones) wraps to 0: a free slot's address is one byte.
                writer.varint(slot.origAddr &+ 1)
                writer.signed(slot.allocSize)
                writer.varint(slot.padSlots)
            }
        }
    }

    /// Slots are read segment by segment, so a damaged size cannot allocate more slots
    /// than the bytes present describe.
    init(from reader: inout StateReader) throws(EngineStateError) {
        let start = reader.offset
        base = try reader.varint("swiotlb pool base")
        sizeBytes = try reader.varint("swiotlb pool size")
        let segmentBytes = Self.slotBytes * UInt64(Self.segmentSlots)
        guard sizeBytes > 0, sizeBytes % segmentBytes == 0, base.addingReportingOverflow(sizeBytes).overflow == false else {
            throw reader.invalid("swiotlb pool size", "not a positive number of 256 KiB segments inside the address space", at: start)
        }
        let slotTotal = sizeBytes >> Self.slotShift
        searchIndex = try reader.index("swiotlb search index", below: Int(clamping: slotTotal))
        usedSlots = try reader.int("swiotlb used slots", in: 0...Int(clamping: slotTotal))
        slots = []
        while UInt64(slots.count) < slotTotal {
            try readSegment(from: &reader)
        }
    }

    private mutating func readSegment(from reader: inout StateReader) throws(EngineStateError) {
        let start = reader.offset
        let first = slots.count
        switch try reader.byte("swiotlb segment") {
        case Self.freshSegmentTag:
            slots.append(contentsOf: (first..<first + Self.segmentSlots).map(Self.freshSlot))
        case Self.listedSegmentTag:
            for index in first..<first + Self.segmentSlots { slots.append(try Self.readSlot(index, from: &reader)) }
        case let other:
            throw reader.badTag("swiotlb segment", UInt64(other), at: start)
        }
    }

    /// The bounds are the pool's invariants that indexing leans on: a free run never
    /// reaches past its segment (the search takes `list` slots from the one it finds), and
    /// `swiotlb_release_slots()` steps back `pad_slots` only inside the segment.
    private static func readSlot(_ index: Int, from reader: inout StateReader) throws(EngineStateError) -> Slot {
        let list = try reader.int("swiotlb slot list", in: 0...segmentSlots - segmentOffset(index))
        let origAddr = try reader.varint("swiotlb slot orig_addr") &- 1
        let allocSize = try reader.signed("swiotlb slot alloc_size")
        let padSlots = try reader.int("swiotlb slot pad_slots", in: 0...segmentOffset(index))
        return Slot(list: list, origAddr: origAddr, allocSize: allocSize, padSlots: padSlots)
    }

    /// Slot `index` of a fresh pool.
    private static func freshSlot(_ index: Int) -> Slot { Slot(list: segmentSlots - segmentOffset(index)) }
}
