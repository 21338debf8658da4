/// The records of one kind that ops name by handle (IOVA states, streaming mappings):
/// full records in reusable slots, each handle's current slot, the epitaphs of ended
/// handles, and the serial the next record gets. The table keeps the four in step; the
/// engine decides when a record may go (Engine+Retirement: only it can see the IOVA owner
/// spans and ownership entries that keep a record whole).
///
///     insert ──▶ record in a slot, current for its handle (the one it replaces: `replaced`)
///     retire ──▶ slot freed; if the record was current, its epitaph stands for the handle
///     revive ──▶ an ended handle's epitaph back in a slot, current again
///
/// A class the engine holds in a `let`, used from the engine's one thread like the engine
/// itself. As a struct in the engine's stored property, every read through a method or
/// subscript copied the whole table (retaining each of its five buffers): +5.9 % of
/// Benchmarks/ProfileLoop's instructions; as a class in a `var`, each read retained the
/// table: +2.6 %; as now, +0.1 %.
final class HandleTable<Record, Epitaph> {
    /// Full records by slot: what owners and ownership entries name.
    @exclusivity(unchecked) private(set) var slots: RecordSlots<Record>
    /// Each handle's current full record. An ended handle has none: it is in `ended`.
    @exclusivity(unchecked) private(set) var slotOfHandle: [String: Int]
    /// The epitaphs of ended handles nothing but the handle names.
    @exclusivity(unchecked) private(set) var ended: EpitaphTable<Epitaph>
    /// The serial the next new or revived record gets: creation order, for `detach`.
    @exclusivity(unchecked) private(set) var nextSerial: Int

    convenience init() { self.init(slots: RecordSlots(), slotOfHandle: [:], ended: EpitaphTable(), nextSerial: 0) }

    /// Takes what `other` holds: the engine keeps one table for its life (a `let`, so
    /// reads through it need not retain it) and a decoded state replaces the contents.
    func replaceContents(with other: HandleTable) {
        slots = other.slots
        slotOfHandle = other.slotOfHandle
        ended = other.ended
        nextSerial = other.nextSerial
    }

    /// A table as a state read back had it.
    init(slots: RecordSlots<Record>, slotOfHandle: [String: Int], ended: EpitaphTable<Epitaph>, nextSerial: Int) {
        self.slots = slots
        self.slotOfHandle = slotOfHandle
        self.ended = ended
        self.nextSerial = nextSerial
    }

    subscript(slot: Int) -> Record {
        // The records alone: reading `slots[slot]` copies (retains) the free list too.
        get { slots.records[slot]! }
        _modify { yield &slots[slot] }
    }

    /// Slots held or free: every slot number is below it.
    var slotCount: Int { slots.count }

    func isOccupied(_ slot: Int) -> Bool { slots.isOccupied(slot) }

    /// The occupied slots, ascending.
    var occupiedSlots: [Int] { slots.occupiedSlots }

    /// The slot the next `insert` fills, for owners named before the record is made.
    var nextSlot: Int { slots.nextSlot }

    /// The slot of the full record `handle` names now, without reviving an ended one.
    func currentSlot(of handle: String) -> Int? { slotOfHandle[handle] }

    func takeSerial() -> Int {
        defer { nextSerial += 1 }
        return nextSerial
    }

    /// An ended handle's record back in a slot, current again; `record` makes it from the
    /// epitaph and a new serial. Nil when the handle has no epitaph. The caller notes the
    /// slot for retirement after the op.
    func revive(_ handle: String, as record: (Epitaph, _ serial: Int) -> Record) -> Int? {
        guard let epitaph = ended.removeValue(forKey: handle) else { return nil }
        let slot = slots.insert(record(epitaph, takeSerial()))
        slotOfHandle[handle] = slot
        return slot
    }

    /// A new record becomes its handle's current one. `replaced` is the slot of the record
    /// it replaces, which goes once nothing else names it; an epitaph it replaces goes now.
    func insert(_ record: Record, handle: String) -> (slot: Int, replaced: Int?) {
        let slot = slots.insert(record)
        let replaced = slotOfHandle.updateValue(slot, forKey: handle)
        if replaced == nil { ended.removeValue(forKey: handle) }
        return (slot, replaced)
    }

    /// Frees the slot. A record still current for `handle` leaves `epitaph(record)` in its
    /// place; a replaced one leaves nothing (nothing names it).
    func retire(_ slot: Int, handle: String, epitaph: (Record) -> Epitaph) {
        let record = slots.remove(slot)
        guard slotOfHandle[handle] == slot else { return }
        slotOfHandle[handle] = nil
        ended.updateValue(epitaph(record), forKey: handle)
    }
}
