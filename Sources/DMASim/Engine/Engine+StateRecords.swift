/// The record part of an engine state, per kind (IOVA states, then streaming mappings):
/// every slot of the record table, holes included, and its free list (owners and
/// ownership entries name records by slot); per handle the slot of its current record;
/// the epitaphs of ended handles, by handle; the next serial.
///
/// Version 3 wrote every record ever made, in creation order, and the current-record
/// indexes; it reads back as slots = indexes, then the engine retires what this build
/// would not have kept.
extension Engine {
    func encodeRecords(to writer: inout StateWriter, links: EncodingLinks) {
        Self.encodeSlots(states, current: stateIndexOfHandle, handle: \.handle, to: &writer) { $1.encode(to: &$0, links: links) }
        writer.array(endedStates.entries) { $1.epitaph.encode(handle: $1.handle, to: &$0, links: links) }
        writer.varint(nextStateSerial)
        Self.encodeSlots(mappings, current: mappingIndexOfHandle, handle: \.handle, to: &writer) { $1.encode(to: &$0, links: links) }
        writer.array(endedMappings.entries) { $1.epitaph.encode(handle: $1.handle, to: &$0, links: links) }
        writer.varint(nextMappingSerial)
    }

    func decodeRecords(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        (states, stateIndexOfHandle, endedStates, nextStateSerial) = try Self.decodeKind(
            count: links.stateCount, version: links.version, handle: \.handle, from: &reader,
            record: { reader, slot throws(EngineStateError) in try IOVAStateRecord(from: &reader, links: links, slot: slot) },
            epitaph: { reader throws(EngineStateError) in try IOVAStateEpitaph.decoding(from: &reader, links: links) })
        (mappings, mappingIndexOfHandle, endedMappings, nextMappingSerial) = try Self.decodeKind(
            count: links.mappingCount, version: links.version, handle: \.handle, from: &reader,
            record: { reader, slot throws(EngineStateError) in try StreamingMappingRecord(from: &reader, links: links, slot: slot) },
            epitaph: { reader throws(EngineStateError) in try MappingEpitaph.decoding(from: &reader, links: links) })
        try checkOwnersNameRecords(at: reader)
        rebuildDebugEntries()
    }

    /// One kind's slots, current records, epitaphs and next serial (version 3: the records
    /// alone, their count the next serial).
    private static func decodeKind<Record, Epitaph>(
        count: Int, version: UInt32, handle: (Record) -> String, from reader: inout StateReader,
        record: (inout StateReader, Int) throws(EngineStateError) -> Record,
        epitaph: (inout StateReader) throws(EngineStateError) -> (handle: String, epitaph: Epitaph)
    ) throws(EngineStateError) -> (RecordSlots<Record>, [String: Int], EpitaphTable<Epitaph>, Int) {
        let (slots, indexOfHandle) = try decodeSlots(count: count, version: version, handle: handle, from: &reader, record)
        guard version > 3 else { return (slots, indexOfHandle, EpitaphTable(), slots.count) }
        let ended = try decodeEpitaphs(current: indexOfHandle, from: &reader, epitaph)
        return (slots, indexOfHandle, ended, try reader.int("next serial", in: 0...Int.max))
    }

    /// After decoding a version-3 state: what the run would have retired by now.
    func retireEveryUnreachableRecord() {
        retirementCandidates = states.occupiedSlots.map(IOVAOwner.state) + mappings.occupiedSlots.map(IOVAOwner.mapping)
        retireUnreachableRecords()
    }

    private static func encodeSlots<Record>(_ slots: RecordSlots<Record>, current indexOfHandle: [String: Int],
                                            handle: (Record) -> String, to writer: inout StateWriter,
                                            _ encode: (inout StateWriter, Record) -> Void) {
        // By slot: a for-in over the records would copy (retain) every one it visits.
        for slot in 0..<slots.count { writer.optional(slots.records[slot], encode) }
        writer.array(slots.freeSlots) { $0.varint($1) }
        encodeCurrentRecords(indexOfHandle, slots: slots, handle: handle, to: &writer)
    }

    /// A handle's current record is the one its key maps to, and it carries the handle:
    /// so the ascending slots say it all.
    private static func encodeCurrentRecords<Record>(_ indexOfHandle: [String: Int], slots: RecordSlots<Record>,
                                                     handle: (Record) -> String, to writer: inout StateWriter) {
        assert(indexOfHandle.allSatisfy { handle(slots[$0.value]) == $0.key }, "a handle maps to another handle's record")
        var isCurrent = [Bool](repeating: false, count: slots.count)
        for slot in indexOfHandle.values { isCurrent[slot] = true }
        writer.varint(indexOfHandle.count)
        var previous: UInt64?
        for slot in isCurrent.indices where isCurrent[slot] { writer.ascendingKey(UInt64(slot), after: &previous) }
    }

    private static func decodeSlots<Record>(count: Int, version: UInt32, handle: (Record) -> String, from reader: inout StateReader,
                                            _ decode: (inout StateReader, Int) throws(EngineStateError) -> Record)
        throws(EngineStateError) -> (RecordSlots<Record>, [String: Int]) {
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
        let slots = RecordSlots(records: records, freeSlots: free)
        return (slots, try decodeCurrentRecords(slots, handle: handle, from: &reader))
    }

    private static func decodeCurrentRecords<Record>(_ slots: RecordSlots<Record>, handle: (Record) -> String,
                                                     from reader: inout StateReader) throws(EngineStateError) -> [String: Int] {
        let handleCount = try reader.count("current records")
        var indexOfHandle: [String: Int] = [:]
        indexOfHandle.reserveCapacity(handleCount)
        var previous: UInt64?
        for _ in 0..<handleCount {
            let start = reader.offset
            let slot = try reader.ascendingKey("current record", after: &previous)
            guard slot < UInt64(slots.count), slots.isOccupied(Int(slot)) else {
                throw reader.invalid("current record", "slot \(slot) holds no record", at: start)
            }
            guard indexOfHandle.updateValue(Int(slot), forKey: handle(slots[Int(slot)])) == nil else {
                throw reader.invalid("current record", "handle \(handle(slots[Int(slot)])) has two", at: start)
            }
        }
        return indexOfHandle
    }

    /// Epitaphs in `EpitaphTable.entries` order, none for a handle that has a current record.
    private static func decodeEpitaphs<Epitaph>(current indexOfHandle: [String: Int], from reader: inout StateReader,
                                                _ decode: (inout StateReader) throws(EngineStateError) -> (handle: String, epitaph: Epitaph))
        throws(EngineStateError) -> EpitaphTable<Epitaph> {
        let count = try reader.count("ended handles", minimumBytes: 4)
        var epitaphs = EpitaphTable<Epitaph>()
        for _ in 0..<count {
            let start = reader.offset
            let (handle, epitaph) = try decode(&reader)
            guard indexOfHandle[handle] == nil, epitaphs.updateValue(epitaph, forKey: handle) == nil else {
                throw reader.invalid("ended handle", "\(handle) is repeated or has a current record", at: start)
            }
        }
        return epitaphs
    }

    /// Owner spans and ownership entries, read before the records, must name records.
    private func checkOwnersNameRecords(at reader: StateReader) throws(EngineStateError) {
        let domains = domainsOfIOMMU.keys.sorted().flatMap { domainsOfIOMMU[$0]! }
        let owners = domains.flatMap { $0.owners.spans.elements.map(\.owner) } + ownership.entries.compactMap { $0?.owner }
        for owner in owners {
            switch owner {
            case .state(let slot) where !states.isOccupied(slot),
                 .mapping(let slot) where !mappings.isOccupied(slot):
                throw reader.invalid("owner", "\(owner) names an empty record slot", at: reader.offset)
            default:
                continue
            }
        }
    }
}
