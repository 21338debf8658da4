import DMASim
import Snapshot

/// An engine standing after some op of a journal, with the keeper of the snapshots its
/// replay takes: where a replay starts (op 0, or a checkpoint) and where it stopped.
///
/// The keeper keeps what replayed `checkpoint` ops capture in memory, over the journal's
/// own snapshots, so a `verify` replayed after starting from a checkpoint still finds the
/// earlier checkpoint it names. A replay never writes to the journal.
public final class ReplayPosition {
    public let engine: Engine
    /// The last op applied; -1 before the first.
    public internal(set) var sequence: Int
    public let keeper: SnapshotKeeper
    /// The checkpoint the replay started from, if it did.
    public let checkpoint: String?

    public init(engine: Engine, sequence: Int, keeper: SnapshotKeeper, checkpoint: String? = nil) {
        self.engine = engine; self.sequence = sequence; self.keeper = keeper; self.checkpoint = checkpoint
    }

    /// Applies op `sequence`, which must come after the last one applied. Ops come from a
    /// journal file, so an op out of order is damage to report (`OutOfOrder`), not a trap.
    public func apply(_ op: Op, sequence: Int) throws -> Outcome {
        guard sequence > self.sequence else { throw OutOfOrder(sequence: sequence, after: self.sequence) }
        let outcome = try keeper.apply(op, to: engine, sequence: sequence)
        self.sequence = sequence
        return outcome
    }
}

extension ReplayPosition {
    /// An op handed to `apply` at or before the op already applied: a repeated seq, or a
    /// checkpoint standing after the op asked for.
    public struct OutOfOrder: Error, Equatable, CustomStringConvertible {
        public let sequence: Int
        public let after: Int

        public var description: String {
            sequence == after ? "op seq \(sequence) appears more than once" : "op seq \(sequence) comes after seq \(after): the ops are out of order"
        }
    }
}
