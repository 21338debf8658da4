import DMASim
import Journal

/// Re-executes a journal's ops in order on a fresh engine built from the journal's own
/// topology lines, comparing each outcome with the recorded one. The engine is
/// deterministic, so any difference is a finding: a changed engine, a hand-edited or
/// imported journal, or (later, with `--with`) a changed topology.
///
/// Replay reads ops and outcomes only; it never looks at a workload's injected-misuse mark.
public struct Replayer {
    public struct Result: Sendable {
        /// Ops replayed (up to and including the divergence, when there is one).
        public var replayedCount: Int
        public var divergence: Divergence?
    }

    private let reader: JournalReader

    public init(reader: JournalReader) { self.reader = reader }

    /// Replays ops with sequence ≤ `lastSequence` (all when nil), stopping at the first
    /// divergence. `progress` is called with each replayed sequence number.
    public func replay(through lastSequence: Int? = nil, progress: (Int) -> Void = { _ in }) throws(JournalError) -> Result {
        let engine = Engine()
        let cursor = try reader.makeCursor()
        var count = 0
        while let recorded = try cursor.next() {
            if let lastSequence, recorded.seq > lastSequence { break }
            let replayed = RecordedOutcome(engine.apply(recorded.op))
            count += 1
            progress(recorded.seq)
            if replayed != recorded.outcome {
                return Result(replayedCount: count, divergence: Divergence(sequence: recorded.seq, op: recorded.op,
                                                                          recorded: recorded.outcome, replayed: replayed))
            }
        }
        return Result(replayedCount: count, divergence: nil)
    }
}
