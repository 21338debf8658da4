/// Of physical memory, the state holds the regions and the write epoch. Page contents
/// belong to memory snapshots (the Snapshot module). The epoch goes on from where it was,
/// so that an incremental snapshot taken after a restore, against a manifest from before
/// the checkpoint, still sees every page written since: the restored pages count as
/// written in the current epoch, and later writes in later ones. (Restarting the count at
/// 1 would date them before that manifest, and the snapshot would miss them.)
extension PhysicalMemory {
    func encode(to writer: inout StateWriter) {
        writer.array(regions) { $1.encode(to: &$0) }
        writer.varint(UInt64(store.epoch))
    }

    /// Declares the encoded regions in this (empty) memory, with the checks a `region`
    /// declaration gets, and continues the epoch count.
    func restore(from reader: inout StateReader) throws(EngineStateError) {
        let count = try reader.count("regions")
        for _ in 0..<count {
            let start = reader.offset
            if let problem = add(try RegionSpec(from: &reader)) { throw reader.invalid("region", problem, at: start) }
        }
        store.epoch = UInt32(try reader.int("write epoch", in: 1...Int(UInt32.max)))
    }
}
