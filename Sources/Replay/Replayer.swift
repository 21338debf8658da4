import Checkpoint
import DMASim
import Journal

/// Re-executes a journal's ops in order on a fresh engine built from the journal's own
/// topology lines (or from a checkpoint, `CheckpointLoader`), comparing each outcome
/// with the recorded one. `checkpoint` and `verify` ops run through the position's
/// snapshot keeper, so they replay like any other op. The engine is
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

    let reader: JournalReader
    private let overrides: [TopologyOverride]
    /// Exact on the recorded machine; behaviour only on a changed one.
    public var comparison: OutcomeComparison { overrides.isEmpty ? .exact : .behaviour }

    /// A replay on the recorded machine.
    public init(reader: JournalReader) {
        self.reader = reader
        overrides = []
    }

    /// A replay on a changed machine. Fails when an override has nothing to change in
    /// this journal's machine.
    public init(reader: JournalReader, overrides: [TopologyOverride]) throws(ReplayError) {
        self.reader = reader
        self.overrides = overrides
        let topology: [Op]
        do { topology = try reader.topology() } catch { throw .journal(error) }
        if let idle = overrides.first(where: { !$0.applies(to: topology) }) {
            throw .overrideUnused(idle, path: reader.path)
        }
        try Self.checkDeclarations(topology, overrides: overrides, path: reader.path)
    }

    /// Declares the changed machine on a scratch engine: a value the engine refuses for
    /// a declaration (`granule=3K`, `fq-size=1`) is bad input, said once, rather than a
    /// "divergence" at the first declaration.
    static func checkDeclarations(_ topology: [Op], overrides: [TopologyOverride], path: String) throws(ReplayError) {
        guard !overrides.isEmpty else { return }
        let engine = overrides.freshEngine(), recorded = Engine()
        for op in topology {
            let accepted: Bool
            if case .rejected = recorded.apply(op).status { accepted = false } else { accepted = true }
            guard case .rejected(let reason) = engine.apply(overrides.apply(to: op)).status, accepted else { continue }
            throw .overrideRejected(overrides.map(\.description).joined(separator: " "), reason: reason, path: path)
        }
    }

    /// Replays the ops after `start` (a fresh engine when nil) with sequence ≤
    /// `lastSequence` (all when nil), stopping at the first divergence. `start` is left
    /// standing after the last op replayed. `progress` is called with each replayed
    /// sequence number.
    public func replay(from start: ReplayPosition? = nil, through lastSequence: Int? = nil,
                       progress: (Int) -> Void = { _ in }) throws(JournalError) -> Result {
        let position: ReplayPosition
        if let start {
            position = start
        } else {
            position = try CheckpointLoader(reader: reader).freshPosition(engine: overrides.freshEngine(on: reader.defaultMachine))
        }
        let cursor = try reader.makeCursor(fromSequence: position.sequence + 1)
        var count = 0
        while let recorded = try cursor.next() {
            if let lastSequence, recorded.seq > lastSequence { break }
            let replayed = RecordedOutcome(try JournalError.mapping(path: reader.path) {
                try position.apply(overrides.apply(to: recorded.op), sequence: recorded.seq)
            })
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
