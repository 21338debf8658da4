/// The last-writer map in an engine state, so a replay started at a checkpoint names the
/// same writers in its `verify` findings as one started at op 0: pages by ascending
/// number, each with its segments in address order.
extension LastWriterMap {
    func encode(to writer: inout StateWriter) {
        writer.varint(segmentsOfPage.count)
        var previous: UInt64?
        for (page, segments) in segmentsOfPage.sorted(by: { $0.key < $1.key }) {
            writer.ascendingKey(page, after: &previous)
            writer.array(segments) { writer, segment in
                writer.varint(segment.start)
                writer.varint(segment.end - segment.start)
                segment.writer.encode(to: &writer)
            }
        }
    }

    convenience init(from reader: inout StateReader) throws(EngineStateError) {
        self.init()
        let count = try reader.count("written pages", minimumBytes: 2)
        var previous: UInt64?
        for _ in 0..<count {
            let page = try reader.ascendingKey("written page", after: &previous)
            var end = 0
            segmentsOfPage[page] = try reader.array("write segments") { reader throws(EngineStateError) in
                let offset = reader.offset
                let start = try reader.int("segment start", in: end...4095)
                end = start + (try reader.int("segment length", in: 1...(4096 - start)))
                guard end <= 4096 else { throw reader.invalid("write segment", "ends past its page", at: offset) }
                return Segment(start: start, end: end, writer: try MemoryWriter(from: &reader))
            }
        }
    }
}

extension MemoryWriter {
    func encode(to writer: inout StateWriter) {
        writer.varint(sequence)
        writer.string(op.rawValue)
        writer.varint(Path.allCases.firstIndex(of: path)!)
        writer.optional(device) { $0.string($1) }
        writer.optional(handle) { $0.string($1) }
        writer.optional(deviceAddress) { $0.varint($1) }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let sequence = try reader.int("writer sequence", in: 0...Int.max)
        let offset = reader.offset
        let kind = try reader.string("writer op")
        guard let op = OpKind(rawValue: kind) else { throw reader.invalid("writer op", "unknown op kind '\(kind)'", at: offset) }
        let path = Path.allCases[try reader.tag("writer path", below: Path.allCases.count)]
        let device = try reader.optional("writer device") { reader throws(EngineStateError) in try reader.string("writer device") }
        let handle = try reader.optional("writer handle") { reader throws(EngineStateError) in try reader.string("writer handle") }
        let address = try reader.optional("writer address") { reader throws(EngineStateError) in try reader.varint("writer address") }
        self.init(sequence: sequence, op: op, device: device, handle: handle, path: path, deviceAddress: address)
    }
}
