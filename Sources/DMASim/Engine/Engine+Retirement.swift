/// Bookkeeping bounded by live state: records of ended states and mappings leave the slot
/// tables at the end of the op that ended them, once nothing but their handle names them.
///
///     alloc / map ──▶ full record in a slot
///         └─ ended, no IOVA owner span or ownership entry names it ──▶ epitaph under its
///            handle (IOVAStateEpitaph, MappingEpitaph, in an EpitaphTable)
///     an op naming an ended handle ──▶ the epitaph is revived into a slot for the op,
///            and retired again after it
///     alloc / map of a handle again ──▶ its old record goes once nothing names it
///
/// An IOVA owner span keeps an ended record whole: a bare-address fault in its IOVA is
/// still "use after destroy of s1" until the IOVA is handed out again. The test is
/// whether the span is still there, so no count has to be kept in step.
extension Engine {
    /// The slot of the state record `handle` names now; an ended handle's epitaph becomes
    /// a full record for the op.
    func stateSlot(of handle: String) -> Int? {
        if let slot = stateIndexOfHandle[handle] { return slot }  // the hot path: a live state
        return Self.revive(handle, in: &states, &stateIndexOfHandle, &endedStates, retiring: &retirementCandidates,
                           as: IOVAOwner.state) { IOVAStateRecord(handle: handle, serial: takeStateSerial(), epitaph: $0) }
    }

    /// The slot of the mapping record `handle` names now, reviving an epitaph likewise.
    func mappingSlot(of handle: String) -> Int? {
        if let slot = mappingIndexOfHandle[handle] { return slot }
        return Self.revive(handle, in: &mappings, &mappingIndexOfHandle, &endedMappings, retiring: &retirementCandidates,
                           as: IOVAOwner.mapping) { StreamingMappingRecord(handle: handle, serial: takeMappingSerial(), epitaph: $0) }
    }

    /// A new record becomes its handle's current one; the record it replaces goes when
    /// nothing else names it.
    func insertState(_ record: IOVAStateRecord) -> Int {
        Self.insert(record, handle: record.handle, in: &states, &stateIndexOfHandle, &endedStates,
                    retiring: &retirementCandidates, as: IOVAOwner.state)
    }

    func insertMapping(_ record: StreamingMappingRecord) -> Int {
        Self.insert(record, handle: record.handle, in: &mappings, &mappingIndexOfHandle, &endedMappings,
                    retiring: &retirementCandidates, as: IOVAOwner.mapping)
    }

    /// An ended handle's record back in a slot, to be retired again after the op.
    private static func revive<Record, Epitaph>(_ handle: String, in slots: inout RecordSlots<Record>, _ indexOfHandle: inout [String: Int],
                                                _ ended: inout EpitaphTable<Epitaph>, retiring candidates: inout [IOVAOwner],
                                                as owner: (Int) -> IOVAOwner, record: (Epitaph) -> Record) -> Int? {
        guard let epitaph = ended.removeValue(forKey: handle) else { return nil }
        let slot = slots.insert(record(epitaph))
        indexOfHandle[handle] = slot
        candidates.append(owner(slot))
        return slot
    }

    private static func insert<Record, Epitaph>(_ record: Record, handle: String, in slots: inout RecordSlots<Record>,
                                                _ indexOfHandle: inout [String: Int], _ ended: inout EpitaphTable<Epitaph>,
                                                retiring candidates: inout [IOVAOwner], as owner: (Int) -> IOVAOwner) -> Int {
        let slot = slots.insert(record)
        if let previous = indexOfHandle.updateValue(slot, forKey: handle) {
            candidates.append(owner(previous))
        } else {
            ended.removeValue(forKey: handle)
        }
        return slot
    }

    func takeStateSerial() -> Int {
        defer { nextStateSerial += 1 }
        return nextStateSerial
    }

    func takeMappingSerial() -> Int {
        defer { nextMappingSerial += 1 }
        return nextMappingSerial
    }

    /// Notes that an op ended a record, or took away what kept it.
    func noteMayRetire(_ owner: IOVAOwner) { retirementCandidates.append(owner) }

    /// Run after every op: retires the records it may have left unreachable.
    func retireUnreachableRecords() {
        for candidate in retirementCandidates {
            switch candidate {
            case .state(let slot): retireState(slot)
            case .mapping(let slot): retireMapping(slot)
            }
        }
        retirementCandidates.removeAll(keepingCapacity: true)
    }

    private func retireState(_ slot: Int) {
        guard states.isOccupied(slot) else { return }  // named twice, already retired
        let record = states[slot]
        guard !record.isLive, record.ownershipIDs.isEmpty,
              record.runtime.domain?.owners.owner(of: record.addr) != .state(slot) else { return }
        _ = states.remove(slot)
        guard stateIndexOfHandle[record.handle] == slot else { return }  // replaced: nothing names it now
        stateIndexOfHandle[record.handle] = nil
        endedStates.updateValue(record.epitaph, forKey: record.handle)
    }

    private func retireMapping(_ slot: Int) {
        guard mappings.isOccupied(slot) else { return }
        let record = mappings[slot]
        let runtime = devices[record.device]!
        guard record.life != .mapped, record.ownershipID == nil, !record.hasDebugEntry,
              runtime.domain?.owners.owner(of: record.dmaAddress) != .mapping(slot) else { return }
        _ = mappings.remove(slot)
        guard mappingIndexOfHandle[record.handle] == slot else { return }
        mappingIndexOfHandle[record.handle] = nil
        endedMappings.updateValue(record.epitaph(runtime: runtime), forKey: record.handle)
    }
}
