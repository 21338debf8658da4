import DMASim
import Journal
import Snapshot

extension CheckpointLoader {
    /// The journal's checkpoints, by the seq each was taken after, ascending.
    package func checkpoints() throws(JournalError) -> [SnapshotRow] {
        try storage.tables.snapshots().filter { $0.kind == SnapshotRecord.Kind.checkpoint.rawValue }.sorted { $0.seq < $1.seq }
    }

    /// How many faults and findings the run had produced by `checkpoint`, from its engine
    /// state alone: no memory is restored, so bisect can ask this of many checkpoints for
    /// the price of decoding their states.
    package func tally(at checkpoint: SnapshotRow) throws(JournalError) -> OutcomeTally {
        guard let id = checkpoint.id, let state = try storage.tables.checkpointState(snapshotID: id) else {
            throw .corruptSnapshot(path: reader.path, table: "checkpoints",
                                   detail: "checkpoint '\(checkpoint.name)' (after seq \(checkpoint.seq)) has no engine state")
        }
        do {
            return try CheckpointState.engine(from: state).tally
        } catch {
            throw .corruptSnapshot(path: reader.path, table: "checkpoints",
                                   detail: "checkpoint '\(checkpoint.name)' (after seq \(checkpoint.seq)): engine state: \(error)")
        }
    }
}
