/// A handle table in an engine state (Engine+StateRecords): every slot, holes included,
/// and the free list (owners and ownership entries name records by slot); the slots of
/// the current records; the epitaphs of ended handles; the next serial.
///
/// Version 3 wrote every record ever made, in creation order, and the current-record
/// slots: it reads back as slots = records, no epitaphs, the record count the next serial.
extension HandleTable {
    func encode(to writer: inout StateWriter, handle: (Record) -> String,
                record encodeRecord: (inout StateWriter, Record) -> Void,
                epitaph encodeEpitaph: (inout StateWriter, String, Epitaph) -> Void) {
        // By slot: a for-in over the records would copy (retain) every one it visits.
        for slot in 0..<slots.count { writer.optional(slots.records[slot], encodeRecord) }
        writer.array(slots.freeSlots) { $0.varint($1) }
        encodeCurrentSlots(handle: handle, to: &writer)
        writer.array(ended.entries) { encodeEpitaph(&$0, $1.handle, $1.epitaph) }
        writer.varint(nextSerial)
    }

    /// A handle's current record is the one its key maps to, and it carries the handle:
    /// so the ascending slots say it all.
    private func encodeCurrentSlots(handle: (Record) -> String, to writer: inout StateWriter) {
        assert(slotOfHandle.allSatisfy { handle(slots[$0.value]) == $0.key }, "a handle maps to another handle's record")
        var isCurrent = [Bool](repeating: false, count: slots.count)
        for slot in slotOfHandle.values { isCurrent[slot] = true }
        writer.varint(slotOfHandle.count)
        var previous: UInt64?
        for slot in isCurrent.indices where isCurrent[slot] { writer.ascendingKey(UInt64(slot), after: &previous) }
    }

    /// The table of `count` slots a state of `version` holds.
    convenience init(count: Int, version: UInt32, handle: (Record) -> String, from reader: inout StateReader,
         record: (inout StateReader, Int) throws(EngineStateError) -> Record,
         epitaph: (inout StateReader) throws(EngineStateError) -> (handle: String, epitaph: Epitaph)) throws(EngineStateError) {
        let slots = try Self.decodeSlots(count: count, version: version, from: &reader, record)
        let slotOfHandle = try Self.decodeCurrentSlots(slots, handle: handle, from: &reader)
        guard version > 3 else {
            self.init(slots: slots, slotOfHandle: slotOfHandle, ended: EpitaphTable(), nextSerial: slots.count)
            return
        }
        let ended = try Self.decodeEpitaphs(current: slotOfHandle, from: &reader, epitaph)
        self.init(slots: slots, slotOfHandle: slotOfHandle, ended: ended, nextSerial: try reader.int("next serial", in: 0...Int.max))
    }

    private static func decodeSlots(count: Int, version: UInt32, from reader: inout StateReader,
                                    _ decode: (inout StateReader, Int) throws(EngineStateError) -> Record)
        throws(EngineStateError) -> RecordSlots<Record> {
        var records: [Record?] = []
        records.reserveCapacity(count)
        var free: [Int] = []
        if version == 3 {
            for slot in 0..<count { records.append(try decode(&reader, slot)) }
        } else {
            for slot in 0..<count {
                records.append(try reader.optional("record slot") { reader throws(EngineStateError) in try decode(&reader, slot) })
            }
            let freeStart = reader.offset
            free = try reader.array("free record slots") { reader throws(EngineStateError) in try reader.index("free record slot", below: count) }
            guard free.sorted() == records.indices.filter({ records[$0] == nil }) else {
                throw reader.invalid("free record slots", "are not exactly the slots without a record", at: freeStart)
            }
        }
        return RecordSlots(records: records, freeSlots: free)
    }

    private static func decodeCurrentSlots(_ slots: RecordSlots<Record>, handle: (Record) -> String,
                                           from reader: inout StateReader) throws(EngineStateError) -> [String: Int] {
        let handleCount = try reader.count("current records")
        var slotOfHandle: [String: Int] = [:]
        slotOfHandle.reserveCapacity(handleCount)
        var previous: UInt64?
        for _ in 0..<handleCount {
            let start = reader.offset
            let slot = try reader.ascendingKey("current record", after: &previous)
            guard slot < UInt64(slots.count), slots.isOccupied(Int(slot)) else {
                throw reader.invalid("current record", "slot \(slot) holds no record", at: start)
            }
            guard slotOfHandle.updateValue(Int(slot), forKey: handle(slots[Int(slot)])) == nil else {
                throw reader.invalid("current record", "handle \(handle(slots[Int(slot)])) has two", at: start)
            }
        }
        return slotOfHandle
    }

    /// Epitaphs in `EpitaphTable.entries` order, none for a handle that has a current record.
    private static func decodeEpitaphs(current slotOfHandle: [String: Int], from reader: inout StateReader,
                                       _ decode: (inout StateReader) throws(EngineStateError) -> (handle: String, epitaph: Epitaph))
        throws(EngineStateError) -> EpitaphTable<Epitaph> {
        let count = try reader.count("ended handles", minimumBytes: 4)
        var epitaphs = EpitaphTable<Epitaph>()
        for _ in 0..<count {
            let start = reader.offset
            let (handle, epitaph) = try decode(&reader)
            guard slotOfHandle[handle] == nil, epitaphs.updateValue(epitaph, forKey: handle) == nil else {
                throw reader.invalid("ended handle", "\(handle) is repeated or has a current record", at: start)
            }
        }
        return epitaphs
    }
}
