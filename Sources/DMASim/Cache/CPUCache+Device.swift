/// What device DMA does to the lines the CPU holds.
extension CPUCache {
    /// Before a device writes `[phys, phys+length)` to memory. A non-coherent device
    /// bypasses the cache: clean lines it overwrites become stale (the CPU keeps the old
    /// bytes), dirty ones stay dirty (their later write-back clobbers the device's data).
    /// A coherent device's write snoops: dirty lines are written back first, then every
    /// line in the range is dropped, so the CPU sees the new bytes.
    mutating func deviceWillWrite(phys: UInt64, length: UInt64, coherent: Bool) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, _ in
            guard let entry = entry(ofPage: page) else { return }
            let mask = Self.lineMask(offset: offset, count: count)
            if coherent {
                Self.forEachBit(self[entry].dirty & mask) { writeBack(entry, page: page, line: $0) }
                drop(mask, entry: entry, page: page)
            } else {
                let lines = self[entry]
                Self.forEachBit(mask & lines.held & ~lines.withData) { keepStaleCopy(entry, page: page, line: $0) }
            }
        }
    }

    /// A device read. A non-coherent device reads memory as it is; a coherent one
    /// snoops and gets dirty lines' data.
    func deviceRead(phys: UInt64, length: UInt64, coherent: Bool, _ sink: (UnsafeRawBufferPointer) -> Void) {
        memory.forEachPageSpan(phys: phys, length: length) { page, offset, count, _ in
            let entry = entry(ofPage: page)
            let dirty = coherent ? (entry.map { self[$0].dirty } ?? 0) & Self.lineMask(offset: offset, count: count) : 0
            view(page: page, offset: offset, count: count, entry: entry, overlay: dirty, sink)
        }
    }

    /// Copies memory's current line into the cache and marks it stale.
    private mutating func keepStaleCopy(_ entry: Int32, page: UInt64, line: Int) {
        let target = allocateData(entry, line: line)
        target.copyMemory(from: memory.bytes(page: page, offset: line << 6, count: Self.lineBytes).baseAddress!,
                          byteCount: Self.lineBytes)
        self[entry].stale |= UInt64(1) << UInt64(line)
    }
}
