/// The entries by id, holes included, and the free-id list in order. Ids are not storage
/// here: records hold them, and `overlapping` reports findings in id order, so a restored
/// map must hand out the same ids as the original — the next `add` takes the last free id.
extension OwnershipMap {
    func encode(to writer: inout StateWriter) {
        writer.array(entries) { writer, entry in
            writer.optional(entry) { $1.encode(to: &$0) }
        }
        writer.array(freeIDs) { $0.varint($1) }
    }

    /// Rebuilt through `add` and `remove` alone: every id in order (a hole as an empty
    /// placeholder), then the holes removed in free-list order, which leaves `freeIDs` as
    /// it was and the per-page index consistent by construction.
    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        self.init()
        let decoded = try reader.array("ownership entries") { reader throws(EngineStateError) in
            try reader.optional("ownership entry") { reader throws(EngineStateError) in try Entry(from: &reader, links: links) }
        }
        let freeStart = reader.offset
        let free = try reader.array("ownership free ids") { reader throws(EngineStateError) in
            try reader.index("ownership free id", below: decoded.count)
        }
        let holes = decoded.indices.filter { decoded[$0] == nil }
        guard free.sorted() == holes else {
            throw reader.invalid("ownership free ids", "are not exactly the ids without an entry", at: freeStart)
        }
        for entry in decoded {
            _ = add(entry ?? Entry(owner: .state(0), first: 0, end: 0, direction: .none, bounced: false))
        }
        for id in free { remove(id) }
    }
}

extension OwnershipMap.Entry {
    func encode(to writer: inout StateWriter) {
        owner.encode(to: &writer)
        writer.varint(first)
        writer.varint(end - first)
        direction.encode(to: &writer)
        writer.bool(bounced)
        writer.varint(iovaFirst)
        cpuOwned.encode(to: &writer)
    }

    init(from reader: inout StateReader, links: DecodingLinks) throws(EngineStateError) {
        let owner = try IOVAOwner(from: &reader, links: links)
        let start = reader.offset
        let first = try reader.varint("ownership entry first")
        let (end, overflow) = first.addingReportingOverflow(try reader.varint("ownership entry length"))
        guard !overflow else { throw reader.invalid("ownership entry", "ends past the 64-bit range", at: start) }
        self.init(owner: owner, first: first, end: end, direction: try DMADirection(from: &reader, "ownership entry direction"),
                  bounced: try reader.bool("ownership entry bounced"), iovaFirst: try reader.varint("ownership entry iova"),
                  cpuOwned: try ByteRangeSet(from: &reader))
    }
}
