import Checkpoint
import Journal

extension Replayer {
    /// An engine standing after op `sequence`: the latest checkpoint at or before it (op 0
    /// when there is none), replayed forward to it, with what that replay found.
    public func position(after sequence: Int) throws(JournalError) -> (ReplayPosition, Result) {
        let position = try CheckpointLoader(reader: reader).position(atOrBefore: sequence)
        return (position, try replay(from: position, through: sequence))
    }
}
