/// Line arithmetic inside one 4 KiB page span, and the view that lays cached line data
/// over memory bytes.
extension CPUCache {
    /// The lines `[offset, offset+count)` of a page touches, as a mask.
    static func lineMask(offset: Int, count: Int) -> UInt64 {
        let first = offset >> 6
        let last = (offset + count - 1) >> 6
        let upTo: UInt64 = last == 63 ? .max : (UInt64(1) << UInt64(last + 1)) - 1
        return upTo & ~((UInt64(1) << UInt64(first)) - 1)
    }

    /// Calls `body` with each line touched by `[offset, offset+count)` and the part of the
    /// span inside it, as byte offsets in the page.
    static func forEachLine(offset: Int, count: Int, _ body: (_ line: Int, _ from: Int, _ to: Int) -> Void) {
        var line = offset >> 6
        while line << 6 < offset + count {
            body(line, max(offset, line << 6), min(offset + count, (line + 1) << 6))
            line += 1
        }
    }

    /// Calls `body` with each line set in `mask`, lowest first.
    static func forEachBit(_ mask: UInt64, _ body: (Int) -> Void) {
        var rest = mask
        while rest != 0 {
            body(rest.trailingZeroBitCount)
            rest &= rest - 1
        }
    }

    /// Hands `sink` the span's bytes as memory holds them, with the data of the lines in
    /// `overlay` laid over them.
    func view(page: UInt64, offset: Int, count: Int, entry: Int32?, overlay: UInt64,
              _ sink: (UnsafeRawBufferPointer) -> Void) {
        let raw = memory.bytes(page: page, offset: offset, count: count)
        guard let entry, overlay != 0 else { return sink(raw) }
        let scratch = UnsafeMutableRawBufferPointer(rebasing: scratchPage[0..<count])
        scratch.copyMemory(from: raw)
        Self.forEachLine(offset: offset, count: count) { line, from, to in
            guard overlay & (UInt64(1) << UInt64(line)) != 0 else { return }
            let source = data(entry, line: line) + (from - line << 6)
            (scratch.baseAddress! + (from - offset)).copyMemory(from: source, byteCount: to - from)
        }
        sink(UnsafeRawBufferPointer(scratch))
    }

    /// Writes a dirty line back to memory and forgets its data; it stays held, clean.
    mutating func writeBack(_ entry: Int32, page: UInt64, line: Int) {
        let target = memory.store.page(page) + line << 6
        memory.lastWriters?.note(phys: page << PhysicalMemory.pageShift | UInt64(line << 6), length: UInt64(Self.lineBytes), path: .cacheWriteback)
        target.copyMemory(from: data(entry, line: line), byteCount: Self.lineBytes)
        self[entry].dirty &= ~(UInt64(1) << UInt64(line))
        freeData(entry, line: line)
        releaseTableIfUnused(entry)
    }

    /// Forgets every line in `mask` (data included) and the entry once it is empty.
    mutating func drop(_ mask: UInt64, entry: Int32, page: UInt64) {
        let withData = self[entry].withData & mask
        self[entry].held &= ~mask
        self[entry].dirty &= ~mask
        self[entry].stale &= ~mask
        Self.forEachBit(withData) { freeData(entry, line: $0) }
        releaseTableIfUnused(entry)
        releaseIfEmpty(entry, page: page)
    }
}
