extension IOVAOwner {
    /// One varint: the record index shifted left, bit 0 saying state (0) or mapping (1).
    func encode(to writer: inout StateWriter) {
        switch self {
        case .state(let index): writer.varint(UInt64(index) << 1)
        case .mapping(let index): writer.varint(UInt64(index) << 1 | 1)
        }
    }

    /// An owner naming a record the engine has (`ownerName` indexes the record arrays).
    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        let start = reader.offset
        let value = try reader.varint("owner")
        let index = value >> 1
        let isMapping = value & 1 == 1
        let count = isMapping ? links.mappingCount : links.stateCount
        guard index < UInt64(count) else {
            throw reader.invalid("owner", "\(isMapping ? "mapping" : "state") record \(index) of \(count)", at: start)
        }
        self = isMapping ? .mapping(Int(index)) : .state(Int(index))
    }
}

/// Spans by ascending IOVA, each with its owner.
extension IOVAOwnerMap {
    func encode(to writer: inout StateWriter) {
        let all = spans.elements
        writer.varint(all.count)
        var previous: UInt64?
        for span in all {
            writer.disjointRange(span.first, span.last, after: &previous)
            span.owner.encode(to: &writer)
        }
    }

    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        self.init()
        let count = try reader.count("iova owners", minimumBytes: 3)
        var previous: UInt64?
        for _ in 0..<count {
            let range = try reader.disjointRange("iova owner", after: &previous)
            // Disjoint and ascending: nothing is displaced.
            var displaced: [IOVAOwner] = []
            assign(first: range.lowerBound, last: range.upperBound, to: try IOVAOwner(from: &reader, links: links),
                   displacingInto: &displaced)
        }
    }
}
