/// Of physical memory, the state holds the regions only. Page contents belong to memory
/// snapshots (the Snapshot module), and so do write epochs: a decoded engine starts a new
/// epoch count, which only says that its first snapshot must be a full one.
extension PhysicalMemory {
    func encodeRegions(to writer: inout StateWriter) {
        writer.array(regions) { $1.encode(to: &$0) }
    }

    /// Declares the encoded regions in this (empty) memory, with the checks a `region`
    /// declaration gets.
    func restoreRegions(from reader: inout StateReader) throws(EngineStateError) {
        let count = try reader.count("regions")
        for _ in 0..<count {
            let start = reader.offset
            if let problem = add(try RegionSpec(from: &reader)) { throw reader.invalid("region", problem, at: start) }
        }
    }
}
