/// The lines the CPU holds, page by ascending page: three line masks (held, dirty,
/// stale), then the 64 bytes of every line that carries data, lowest line first. Clean
/// lines carry none (memory has their bytes); dirty lines hold what the CPU wrote and
/// memory has not seen, stale ones what the CPU still sees after a device wrote memory,
/// so both must be kept. Arena slots and entry numbers are storage, rebuilt on decoding.
extension CPUCache {
    func encode(to writer: inout StateWriter) {
        writer.varint(entryOfPage.count)
        var previous: UInt64?
        for (page, entry) in entryOfPage.sorted(by: { $0.key < $1.key }) {
            let lines = self[entry]
            writer.ascendingKey(page, after: &previous)
            writer.varint(lines.held)
            writer.varint(lines.dirty)
            writer.varint(lines.stale)
            Self.forEachBit(lines.withData) { line in
                writer.raw(UnsafeRawBufferPointer(start: data(entry, line: line), count: Self.lineBytes))
            }
        }
    }

    /// A cache over `memory` (the engine's) in the encoded state.
    init(memory: PhysicalMemory, from reader: inout StateReader) throws(EngineStateError) {
        self.init(memory: memory)
        let count = try reader.count("cache pages", minimumBytes: 4)
        var previous: UInt64?
        for _ in 0..<count {
            let page = try reader.ascendingKey("cache page", after: &previous)
            let start = reader.offset
            let lines = PageLines(held: try reader.varint("cache held lines"), dirty: try reader.varint("cache dirty lines"),
                                  stale: try reader.varint("cache stale lines"))
            // A line is one of clean, dirty or stale, and only a held line is either of the last two.
            guard lines.dirty & lines.stale == 0, lines.withData & ~lines.held == 0 else {
                throw reader.invalid("cache lines", "page 0x\(String(page, radix: 16)) has a line both dirty and stale, or one not held", at: start)
            }
            let entry = entryCreating(page: page)
            self[entry] = lines
            var withData = lines.withData
            while withData != 0 {
                let line = withData.trailingZeroBitCount
                try reader.raw("cache line data", count: Self.lineBytes, into: allocateData(entry, line: line))
                withData &= withData - 1
            }
        }
    }
}
