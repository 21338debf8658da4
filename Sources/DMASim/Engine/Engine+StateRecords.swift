/// The record part of an engine state: the IOVA states' handle table, then the streaming
/// mappings' (HandleTable+State says how one is laid out), then the check that the owner
/// spans and ownership entries read before them name records. A version-3 state kept
/// every record ever made; the engine then retires what this build would not have kept.
extension Engine {
    func encodeRecords(to writer: inout StateWriter, links: EncodingLinks) {
        states.encode(to: &writer, handle: \.handle, record: { $1.encode(to: &$0, links: links) },
                      epitaph: { $2.encode(handle: $1, to: &$0, links: links) })
        mappings.encode(to: &writer, handle: \.handle, record: { $1.encode(to: &$0, links: links) },
                        epitaph: { $2.encode(handle: $1, to: &$0, links: links) })
    }

    func decodeRecords(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        states.replaceContents(with: try HandleTable(
            count: links.stateCount, version: links.version, handle: \.handle, from: &reader,
            record: { reader, slot throws(EngineStateError) in try IOVAStateRecord(from: &reader, links: links, slot: slot) },
            epitaph: { reader throws(EngineStateError) in try IOVAStateEpitaph.decoding(from: &reader, links: links) }))
        mappings.replaceContents(with: try HandleTable(
            count: links.mappingCount, version: links.version, handle: \.handle, from: &reader,
            record: { reader, slot throws(EngineStateError) in try StreamingMappingRecord(from: &reader, links: links, slot: slot) },
            epitaph: { reader throws(EngineStateError) in try MappingEpitaph.decoding(from: &reader, links: links) }))
        try checkOwnersNameRecords(at: reader)
        rebuildDebugEntries()
    }

    /// After decoding a version-3 state: what the run would have retired by now.
    func retireEveryUnreachableRecord() {
        retirementCandidates = states.occupiedSlots.map(IOVAOwner.state) + mappings.occupiedSlots.map(IOVAOwner.mapping)
        retireUnreachableRecords()
    }

    /// Owner spans and ownership entries, read before the records, must name records.
    private func checkOwnersNameRecords(at reader: StateReader) throws(EngineStateError) {
        // Invariant: keys of the dictionary they index.
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
