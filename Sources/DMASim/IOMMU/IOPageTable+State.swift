/// The present PTEs by ascending granule. Leaves, slots and the free-slot list are
/// storage, not state: `install` rebuilds them, and no outcome depends on where a leaf sits.
extension IOPageTable {
    func encode(to writer: inout StateWriter) {
        var present: [(key: UInt64, word: UInt64)] = []
        present.reserveCapacity(presentCount)
        for (leaf, slot) in leafSlot.sorted(by: { $0.key < $1.key }) {
            let first = Int(slot) << Int(Self.leafShift)
            for index in 0..<Self.leafEntries where entries[first + index] != 0 {
                present.append((leaf << Self.leafShift | UInt64(index), entries[first + index]))
            }
        }
        writer.wordMap(present)
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init()
        let start = reader.offset
        for (granule, raw) in try reader.wordMap("page table") {
            guard PageTableEntry(raw: raw).isPresent else {
                throw reader.invalid("page table", "entry for granule 0x\(String(granule, radix: 16)) is not present", at: start)
            }
            install(granule, PageTableEntry(raw: raw))
        }
    }
}
