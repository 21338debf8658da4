import DMASim
import Journal

/// Re-executes a journal's ops in order on a fresh engine built from the journal's own
/// topology lines, comparing each outcome with the recorded one. The engine is
/// deterministic, so any difference is a finding: a changed engine, a hand-edited or
/// imported journal, or a changed machine (`overrides`, from `--with`).
///
/// Replay reads ops and outcomes only; it never looks at a workload's injected-misuse mark.
public struct Replayer {
    public struct Result: Sendable {
        /// Ops replayed (up to and including the divergence, when there is one).
        public var replayedCount: Int
        public var divergence: Divergence?
    }

    private let reader: JournalReader
    private let overrides: [TopologyOverride]
    /// Exact on the recorded machine; behaviour only on a changed one.
    public var comparison: OutcomeComparison { overrides.isEmpty ? .exact : .behaviour }

    /// Fails when an override has nothing to change in this journal's machine.
    public init(reader: JournalReader, overrides: [TopologyOverride] = []) throws(ReplayError) {
        self.reader = reader
        self.overrides = overrides
        let topology: [Op]
        do { topology = try reader.topology() } catch { throw .journal(error) }
        if let idle = overrides.first(where: { !$0.applies(to: topology) }) {
            throw .overrideUnused(idle, path: reader.path)
        }
    }

    /// Replays ops with sequence ≤ `lastSequence` (all when nil), stopping at the first
    /// divergence. `progress` is called with each replayed sequence number.
    public func replay(through lastSequence: Int? = nil, progress: (Int) -> Void = { _ in }) throws(JournalError) -> Result {
        let engine = Engine()
        let cursor = try reader.makeCursor()
        var count = 0
        while let recorded = try cursor.next() {
            if let lastSequence, recorded.seq > lastSequence { break }
            let replayed = RecordedOutcome(engine.apply(overrides.apply(to: recorded.op)))
            count += 1
            progress(recorded.seq)
            let differing = comparison.differingFields(recorded.outcome, replayed)
            if !differing.isEmpty {
                return Result(replayedCount: count, divergence: Divergence(sequence: recorded.seq, op: recorded.op, recorded: recorded.outcome,
                                                                          replayed: replayed, differingFields: differing))
            }
        }
        return Result(replayedCount: count, divergence: nil)
    }
}
