/// Full records in reusable slots: a record keeps its slot (the number owners and
/// ownership entries name it by) from the op that made or revived it until the engine
/// retires it, and the slot then goes to the next record. So the table is as large as the
/// most records ever held at once, not as the run is long.
///
/// Slot numbers depend on the order records came and went; they never reach an outcome
/// (findings name handles, `detach` orders by serial), and the encoded state carries
/// them, holes and free list included, so a restored engine hands out the same slots.
struct RecordSlots<Record> {
    private(set) var records: [Record?] = []
    /// Empty slots, the next to fill last.
    private(set) var freeSlots: [Int] = []

    init() {}

    /// Slots held or free: every slot number is below it.
    var count: Int { records.count }

    // Invariant: callers name occupied slots (a handle's slot, or one `isOccupied` checked).
    subscript(slot: Int) -> Record {
        get { records[slot]! }
        _modify { yield &records[slot]! }
    }

    /// The slot the next `insert` fills, for owners named before the record is made.
    var nextSlot: Int { freeSlots.last ?? records.count }

    func isOccupied(_ slot: Int) -> Bool { slot < records.count && records[slot] != nil }

    /// Puts `record` in the last freed slot, or a new one.
    mutating func insert(_ record: Record) -> Int {
        if let slot = freeSlots.popLast() {
            records[slot] = record
            return slot
        }
        records.append(record)
        return records.count - 1
    }

    mutating func remove(_ slot: Int) -> Record {
        // Invariant: only an occupied slot is removed (the engine retires each record once).
        let record = records[slot]!
        records[slot] = nil
        freeSlots.append(slot)
        return record
    }

    /// The occupied slots, ascending.
    var occupiedSlots: [Int] { records.indices.filter { records[$0] != nil } }

    /// A table read back from a state: every slot as it was, then the free list as it was.
    init(records: [Record?], freeSlots: [Int]) {
        self.records = records
        self.freeSlots = freeSlots
    }
}
