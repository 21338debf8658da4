/// Active first cachelines by ascending line, each with its overlap count.
extension ActiveCachelines {
    func encode(to writer: inout StateWriter) {
        writer.varint(mappingsOfLine.count)
        var previous: UInt64?
        for (line, count) in mappingsOfLine.sorted(by: { $0.key < $1.key }) {
            writer.ascendingKey(line, after: &previous)
            writer.varint(count)
        }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init()
        let count = try reader.count("active cachelines", minimumBytes: 2)
        var previous: UInt64?
        for _ in 0..<count {
            let line = try reader.ascendingKey("active cacheline", after: &previous)
            // A line leaves the tree when its count drops to zero.
            mappingsOfLine[line] = try reader.int("active cacheline count", in: 1...Int.max)
        }
    }
}
