extension ByteRangeSet {
    /// The ranges in order, each as start and length.
    func encode(to writer: inout StateWriter) {
        writer.array(ranges) { writer, range in
            writer.varint(range.lowerBound)
            writer.varint(range.upperBound - range.lowerBound)
        }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init()
        let count = try reader.count("byte ranges", minimumBytes: 2)
        for _ in 0..<count {
            let start = reader.offset
            let lower = try reader.varint("byte range start")
            let (upper, overflow) = lower.addingReportingOverflow(try reader.varint("byte range length"))
            guard !overflow else { throw reader.invalid("byte range", "ends past the 64-bit range", at: start) }
            insert(lower..<upper)
        }
    }
}
