/// CPU loads and stores through the cache.
extension CPUCache {
    /// Renders `count` bytes of a write into the buffer, starting `position` bytes into it.
    typealias ByteSource = (_ destination: UnsafeMutableRawBufferPointer, _ position: UInt64) -> Void

    /// A store: every line written becomes dirty and memory keeps its old bytes. A line
    /// written only in part is first filled from the CPU's view of it (its own data when
    /// dirty or stale, memory otherwise), as a write-allocate cache does.
    mutating func cpuWrite(phys: UInt64, length: UInt64, _ source: ByteSource) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, done in
            let entry = entryCreating(page: page)
            Self.forEachLine(offset: offset, count: count) { line, from, to in
                let target = lineForWriting(entry, page: page, line: line, whole: to - from == Self.lineBytes)
                source(UnsafeMutableRawBufferPointer(start: target + (from - line << 6), count: to - from),
                       done + UInt64(from - offset))
            }
        }
    }

    /// A load: dirty and stale lines answer from their data, the rest from memory; every
    /// line read is held afterwards (clean when it was not held).
    mutating func cpuRead(phys: UInt64, length: UInt64, _ sink: (UnsafeRawBufferPointer) -> Void) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, _ in
            let entry = entryCreating(page: page)
            let mask = Self.lineMask(offset: offset, count: count)
            self[entry].held |= mask
            view(page: page, offset: offset, count: count, entry: entry, overlay: self[entry].withData & mask, sink)
        }
    }

    /// The data of a line about to be stored to, marked dirty.
    private mutating func lineForWriting(_ entry: Int32, page: UInt64, line: Int, whole: Bool) -> UnsafeMutableRawPointer {
        let bit = UInt64(1) << UInt64(line)
        let target: UnsafeMutableRawPointer
        if self[entry].withData & bit != 0 {
            target = data(entry, line: line)
        } else {
            target = allocateData(entry, line: line)
            if !whole {
                target.copyMemory(from: memory.bytes(page: page, offset: line << 6, count: Self.lineBytes).baseAddress!,
                                  byteCount: Self.lineBytes)
            }
        }
        self[entry].held |= bit
        self[entry].dirty |= bit
        self[entry].stale &= ~bit
        return target
    }
}
