/// The record part of an engine state: every IOVA state and streaming mapping record ever
/// made, in index order (findings and owners name them by index), then for each handle
/// the index of its current record.
extension Engine {
    func encodeRecords(to writer: inout StateWriter, links: EncodingLinks) {
        // By index: a for-in over the array copies (retains) every record it visits.
        for index in states.indices { states[index].encode(to: &writer, links: links) }
        Self.encodeCurrentRecords(stateIndexOfHandle, recordCount: states.count, handles: { states[$0].handle }, to: &writer)
        for index in mappings.indices { mappings[index].encode(to: &writer, links: links) }
        Self.encodeCurrentRecords(mappingIndexOfHandle, recordCount: mappings.count, handles: { mappings[$0].handle }, to: &writer)
    }

    func decodeRecords(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        states.reserveCapacity(links.stateCount)
        for _ in 0..<links.stateCount { states.append(try IOVAStateRecord(from: &reader, links: links)) }
        stateIndexOfHandle = try Self.decodeCurrentRecords(count: states.count, handles: { states[$0].handle }, from: &reader)
        mappings.reserveCapacity(links.mappingCount)
        for _ in 0..<links.mappingCount { mappings.append(try StreamingMappingRecord(from: &reader, links: links)) }
        mappingIndexOfHandle = try Self.decodeCurrentRecords(count: mappings.count, handles: { mappings[$0].handle }, from: &reader)
    }

    /// A handle's current record is the one its key maps to, and it carries the handle:
    /// so the ascending record indexes say it all.
    private static func encodeCurrentRecords(_ indexOfHandle: [String: Int], recordCount: Int, handles: (Int) -> String,
                                             to writer: inout StateWriter) {
        assert(indexOfHandle.allSatisfy { handles($0.value) == $0.key }, "a handle maps to another handle's record")
        var isCurrent = [Bool](repeating: false, count: recordCount)
        for index in indexOfHandle.values { isCurrent[index] = true }
        writer.varint(indexOfHandle.count)
        var previous: UInt64?
        for index in isCurrent.indices where isCurrent[index] { writer.ascendingKey(UInt64(index), after: &previous) }
    }

    private static func decodeCurrentRecords(count: Int, handles: (Int) -> String, from reader: inout StateReader)
        throws(EngineStateError) -> [String: Int] {
        let handleCount = try reader.count("current records")
        var indexOfHandle: [String: Int] = [:]
        indexOfHandle.reserveCapacity(handleCount)
        var previous: UInt64?
        for _ in 0..<handleCount {
            let start = reader.offset
            let index = try reader.ascendingKey("current record", after: &previous)
            guard index < UInt64(count) else { throw reader.invalid("current record", "index \(index) is not below \(count)", at: start) }
            guard indexOfHandle.updateValue(Int(index), forKey: handles(Int(index))) == nil else {
                throw reader.invalid("current record", "handle \(handles(Int(index))) has two", at: start)
            }
        }
        return indexOfHandle
    }
}
