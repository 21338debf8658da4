/// The queued ranges, oldest first (the order a flush frees them in), each with the
/// flush-start count it was queued at (version 7; before, 0) and the clock then (version 9;
/// before, 0). The ring size is the
/// IOMMU's `fq-size`, so it is not written again.
extension FlushQueue {
    func encode(to writer: inout StateWriter) {
        writer.array(entries) { writer, entry in
            writer.varint(entry.pfn)
            writer.varint(entry.pageCount)
            writer.varint(entry.counter)
            writer.varint(entry.queuedAt)
        }
    }

    init(from reader: inout StateReader, slots: Int, version: UInt32) throws(EngineStateError) {
        self.init(slots: slots)
        let start = reader.offset
        let queued = try reader.array("flush queue") { reader throws(EngineStateError) in
            Entry(pfn: try reader.varint("flush queue pfn"), pageCount: try reader.varint("flush queue pages"),
                  counter: version >= EngineStateFormat.perCPUVersion ? try reader.varint("flush queue counter") : 0,
                  queuedAt: version >= EngineStateFormat.explicitTimerVersion ? try reader.varint("flush queue time") : 0)
        }
        guard queued.count < slots else {
            throw reader.invalid("flush queue", "\(queued.count) ranges in a ring of \(slots) that holds \(slots - 1)", at: start)
        }
        for entry in queued { append(entry) }
    }
}
