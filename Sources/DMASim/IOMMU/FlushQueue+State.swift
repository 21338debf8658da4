/// The queued ranges, oldest first (the order a flush frees them in). The ring size is
/// the IOMMU's `fq-size`, so it is not written again.
extension FlushQueue {
    func encode(to writer: inout StateWriter) {
        writer.array(entries) { writer, entry in
            writer.varint(entry.pfn)
            writer.varint(entry.pageCount)
        }
    }

    init(from reader: inout StateReader, slots: Int) throws(EngineStateError) {
        self.init(slots: slots)
        let start = reader.offset
        let queued = try reader.array("flush queue") { reader throws(EngineStateError) in
            Entry(pfn: try reader.varint("flush queue pfn"), pageCount: try reader.varint("flush queue pages"))
        }
        guard queued.count < slots else {
            throw reader.invalid("flush queue", "\(queued.count) ranges in a ring of \(slots) that holds \(slots - 1)", at: start)
        }
        for entry in queued { append(entry) }
    }
}
