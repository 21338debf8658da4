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
        if let slot = states.currentSlot(of: handle) { return slot }  // the hot path: a live state
        guard let slot = states.revive(handle, as: { IOVAStateRecord(handle: handle, serial: $1, epitaph: $0) }) else { return nil }
        noteMayRetire(.state(slot))
        return slot
    }

    /// The slot of the mapping record `handle` names now, reviving an epitaph likewise.
    func mappingSlot(of handle: String) -> Int? {
        if let slot = mappings.currentSlot(of: handle) { return slot }
        guard let slot = mappings.revive(handle, as: { StreamingMappingRecord(handle: handle, serial: $1, epitaph: $0) }) else { return nil }
        noteMayRetire(.mapping(slot))
        return slot
    }

    /// A new record becomes its handle's current one; the record it replaces goes when
    /// nothing else names it.
    func insertState(_ record: IOVAStateRecord) -> Int {
        let (slot, replaced) = states.insert(record, handle: record.handle)
        if let replaced { noteMayRetire(.state(replaced)) }
        return slot
    }

    func insertMapping(_ record: StreamingMappingRecord) -> Int {
        let (slot, replaced) = mappings.insert(record, handle: record.handle)
        if let replaced { noteMayRetire(.mapping(replaced)) }
        return slot
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
        states.retire(slot, handle: record.handle) { $0.epitaph }
    }

    private func retireMapping(_ slot: Int) {
        guard mappings.isOccupied(slot) else { return }
        let record = mappings[slot]
        // A mapping is made only through a declared device, and devices are never removed.
        let runtime = devices[record.device]!
        guard record.life != .mapped, record.ownershipID == nil, !record.hasDebugEntry,
              runtime.domain?.owners.owner(of: record.dmaAddress) != .mapping(slot) else { return }
        mappings.retire(slot, handle: record.handle) { $0.epitaph(runtime: runtime) }
    }
}
