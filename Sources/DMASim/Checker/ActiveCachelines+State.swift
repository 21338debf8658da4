/// Active first cachelines by ascending line, each with its overlap count and (version
/// 6) whether its entry is marked, packed as `count << 1 | marked`.
extension ActiveCachelines {
    func encode(to writer: inout StateWriter) {
        writer.varint(mappingsOfLine.count)
        var previous: UInt64?
        for (line, count) in mappingsOfLine.sorted(by: { $0.key < $1.key }) {
            writer.ascendingKey(line, after: &previous)
            writer.varint(count << 1 | (markedLines.contains(line) ? 1 : 0))
        }
    }

    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        self.init()
        let count = try reader.count("active cachelines", minimumBytes: 2)
        var previous: UInt64?
        for _ in 0..<count {
            let line = try reader.ascendingKey("active cacheline", after: &previous)
            // A line leaves the tree when its count drops to zero.
            if version >= EngineStateFormat.kernel73Version {
                let packed = try reader.int("active cacheline count", in: 2...Int.max)
                mappingsOfLine[line] = packed >> 1
                if packed & 1 == 1 { markedLines.insert(line) }
            } else {
                mappingsOfLine[line] = try reader.int("active cacheline count", in: 1...Int.max)
            }
        }
    }
}
