/// Cached translations by ascending granule, stale ones included: the lazy-mode window
/// where a device still reaches freed memory is part of what a checkpoint must keep.
extension IOTLB {
    func encode(to writer: inout StateWriter) {
        writer.wordMap(cached.sorted { $0.key < $1.key }.map { ($0.key, $0.value.raw) })
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init()
        for (granule, raw) in try reader.wordMap("iotlb") { fill(granule, PageTableEntry(raw: raw)) }
    }
}
