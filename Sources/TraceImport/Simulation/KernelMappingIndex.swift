/// The mappings and states the kernel placed in one IOVA space, to name the one a device
/// access hit: the latest that covered the address, even if unmapped since (a stale access
/// names the mapping it outlived).
///
/// A mapping every byte of which a later one covers can never be the latest at any
/// address again, so `insert` forgets it: the index holds what the IOVA allocator's
/// reuse leaves visible (bounded by the space's distinct ranges, not by the trace's
/// length), and a lookup reads one `RangeIndex` bucket instead of every map the trace
/// ever made.
struct KernelMappingIndex {
    private var mappings: [Int: TraceSimulation.KernelMapping] = [:]
    private var index = RangeIndex()
    private var nextID = 0

    var count: Int { mappings.count }

    mutating func insert(_ mapping: TraceSimulation.KernelMapping) {
        let range = mapping.start..<mapping.start.adding(length: mapping.length)
        guard !range.isEmpty else { return }   // covers nothing: no access can name it
        for id in index.removeAll(coveredBy: range) { mappings[id] = nil }
        nextID += 1
        mappings[nextID] = mapping
        index.insert(id: nextID, range)
    }

    /// The latest mapping covering `address`.
    func latest(covering address: UInt64) -> TraceSimulation.KernelMapping? {
        index.ids(overlapping: address..<address.adding(length: 1)).last.flatMap { mappings[$0] }
    }
}
