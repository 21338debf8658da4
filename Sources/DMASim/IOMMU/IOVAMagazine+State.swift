/// Magazines keep their pfns in push order: `iova_magazine_pop()` searches from the top,
/// so the order decides which pfn the next allocation gets back.
extension IOVAMagazine {
    func encode(to writer: inout StateWriter) {
        writer.array(pfns) { $0.varint($1) }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let start = reader.offset
        let count = try reader.count("magazine size")
        guard count <= Self.capacity else {
            throw reader.invalid("magazine size", "\(count) pfns in a magazine of \(Self.capacity)", at: start)
        }
        self.init()
        for _ in 0..<count { push(try reader.varint("magazine pfn")) }
    }
}

/// Version 6: every CPU's loaded and previous magazines, then the depot. Before, the one
/// CPU's pair, which is CPU 0's.
extension IOVARangeCache {
    func encode(to writer: inout StateWriter) {
        writer.array(cpus) { writer, caches in
            caches.loaded.encode(to: &writer)
            caches.previous.encode(to: &writer)
        }
        writer.array(depot) { $1.encode(to: &$0) }
    }

    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        self.init()
        if version >= EngineStateFormat.perCPUVersion {
            cpus = try reader.array("rcache cpus") { reader throws(EngineStateError) in
                IOVACPURangeCache(loaded: try IOVAMagazine(from: &reader), previous: try IOVAMagazine(from: &reader))
            }
        } else {
            cpus = [IOVACPURangeCache(loaded: try IOVAMagazine(from: &reader), previous: try IOVAMagazine(from: &reader))]
        }
        let start = reader.offset
        depot = try reader.array("rcache depot") { reader throws(EngineStateError) in try IOVAMagazine(from: &reader) }
        // Only full magazines go to the depot, and `__iova_rcache_get()` pops from
        // whichever it takes back without looking.
        guard depot.allSatisfy(\.isFull) else { throw reader.invalid("rcache depot", "holds a magazine that is not full", at: start) }
    }
}
