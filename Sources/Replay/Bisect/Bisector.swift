import Checkpoint
import DMASim
import Journal
import OpScript

/// Finds the first op of a journal after which a predicate holds.
///
/// Event predicates (a finding, a fault, an expectation mismatch, a divergence) replay
/// forward and stop at the first op whose replayed outcome shows the event. For findings
/// and faults the replay starts at the last checkpoint whose engine state had not seen
/// one yet, found by binary search over the checkpoints. Prefix predicates (`--run`) are judged by binary search over prefixes,
/// `git bisect` style, with skips.
///
/// Bisect reads ops, outcomes and claims; never the injected-misuse mark.
public struct Bisector {
    private let reader: JournalReader
    private let overrides: [TopologyOverride]

    public init(reader: JournalReader, overrides: [TopologyOverride] = []) throws(ReplayError) {
        // Validates the overrides against the journal's machine.
        _ = try Replayer(reader: reader, overrides: overrides)
        self.reader = reader
        self.overrides = overrides
    }

    private var comparison: OutcomeComparison { .recorded(by: reader, changedMachine: !overrides.isEmpty) }

    /// Bisects for `predicate`. `progress` gets the seq reached now and then; `step` each
    /// judgement of `--run`, as it is made.
    public func bisect(_ predicate: BisectPredicate, progress: (Int) -> Void = { _ in },
                       step: (BisectStep) -> Void = { _ in }) throws(ReplayError) -> BisectResult {
        switch predicate {
        case .finding, .fault, .mismatch, .divergence:
            return try firstEvent(predicate, progress: progress)
        case .command(let command):
            let scripts: PrefixScripts
            do { scripts = try PrefixScripts(reader: reader, progress: progress) } catch let error as JournalError {
                throw .journal(error)
            } catch {
                throw .commandAborted("cannot print the journal as a script: \(error)")
            }
            let judge = CommandJudge(command: command, scripts: scripts)
            return try searchPrefixes(predicate, declarations: scripts.leadingDeclarations, step: step) { seq throws(ReplayError) in
                try judge.judge(through: seq)
            }
        }
    }

    /// Replays forward to the first op whose outcome fires `predicate`, starting from the
    /// latest checkpoint before it when the predicate can be read off a checkpoint.
    private func firstEvent(_ predicate: BisectPredicate, progress: (Int) -> Void) throws(ReplayError) -> BisectResult {
        var probes = 0
        let position: ReplayPosition
        do {
            position = try start(for: predicate, probes: &probes)
        } catch {
            throw .journal(error)
        }
        var replayed = 0
        let startedAfter = position.sequence
        do {
            let cursor = try reader.makeCursor(fromSequence: startedAfter + 1)
            while let recorded = try cursor.next() {
                let outcome = try position.apply(overrides.apply(to: recorded.op), sequence: recorded.seq)
                replayed += 1
                let claims = predicate == .mismatch ? try Self.claims(of: recorded, path: reader.path) : []
                if predicate.fires(op: recorded.op, outcome: outcome, claims: claims, recorded: recorded.outcome, comparison: comparison) {
                    return BisectResult(verdict: .firstBad(recorded.seq), steps: probes + replayed, replayedOps: replayed,
                                        startedAfter: startedAfter, replayedOutcome: outcome, checkpointProbes: probes,
                                        startCheckpoint: position.checkpoint)
                }
                progress(recorded.seq)
            }
        } catch let error as JournalError {
            throw .journal(error)
        } catch {
            throw .journal(.invalidRecord(path: reader.path, seq: Int64(position.sequence), reason: "\(error)"))
        }
        throw .neverHolds(predicate.description, path: reader.path)
    }

    /// Where the forward replay starts. A finding or a fault is counted in every
    /// checkpoint's engine state (its `OutcomeTally`), so a binary search over the
    /// checkpoints — decoding only their states — finds the last one before the event, and
    /// the replay covers one checkpoint interval instead of the whole prefix. On a changed
    /// machine (`--with`) or for the other predicates it starts at op 0.
    private func start(for predicate: BisectPredicate, probes: inout Int) throws(JournalError) -> ReplayPosition {
        let loader = try CheckpointLoader(reader: reader)
        guard overrides.isEmpty, predicate.isCountedInTally else { return loader.freshPosition(engine: overrides.freshEngine(on: reader.defaultMachine)) }
        let checkpoints = try loader.checkpoints()
        var lastClean = -1, firstFired = checkpoints.count
        while firstFired - lastClean > 1 {
            let middle = (lastClean + firstFired) / 2
            probes += 1
            if predicate.holds(in: try loader.tally(at: checkpoints[middle])) { firstFired = middle } else { lastClean = middle }
        }
        guard lastClean >= 0 else { return loader.freshPosition(engine: overrides.freshEngine(on: reader.defaultMachine)) }
        return try loader.position(atCheckpoint: checkpoints[lastClean].name)
    }

    /// Binary search over prefixes, after checking both ends as `git bisect` insists on a
    /// good and a bad revision: the whole journal must judge bad, and the machine alone
    /// (the leading `declarations` ops) good. A command that calls both bad cannot tell
    /// them apart, and bisecting with it would name seq 0 with confidence.
    private func searchPrefixes(_ predicate: BisectPredicate, declarations: Int, step: (BisectStep) -> Void,
                                judge: (Int) throws(ReplayError) -> PrefixJudgement) throws(ReplayError) -> BisectResult {
        guard let last = reader.lastCommittedSequence else { throw .neverHolds(predicate.description, path: reader.path) }
        var steps = 1
        let whole = try judge(last)
        step(BisectStep(seq: last, verdict: "\(whole.verdict)", exitStatus: whole.exitStatus, opsLeft: last))
        switch whole.verdict {
        case .good: throw .neverHolds(predicate.description, path: reader.path)
        case .skip: throw .commandAborted("the whole journal was skipped (exit 125): nothing to bisect against")
        case .bad: break
        }
        var search = PrefixSearch(good: -1, bad: last)
        let machineOnly = declarations - 1
        if machineOnly >= 0, machineOnly < last {
            let first = try judge(machineOnly)
            steps += 1
            if first.verdict == .bad {
                throw .commandAborted("the command judges the machine alone (the \(declarations) declarations, seq 0…\(machineOnly)) "
                                      + "bad (exit \(first.exitStatus)), as well as the whole journal: it cannot tell good from bad")
            }
            search.record(first.verdict, at: machineOnly)
            step(BisectStep(seq: machineOnly, verdict: "\(first.verdict)", exitStatus: first.exitStatus, opsLeft: search.opsLeft))
        }
        while let seq = search.next() {
            let judged = try judge(seq)
            search.record(judged.verdict, at: seq)
            steps += 1
            step(BisectStep(seq: seq, verdict: "\(judged.verdict)", exitStatus: judged.exitStatus, opsLeft: search.opsLeft))
        }
        return BisectResult(verdict: search.verdict, steps: steps, replayedOps: 0, startedAfter: -1, replayedOutcome: nil,
                            skipped: search.skipped)
    }

    static func claims(of recorded: RecordedOp, path: String) throws(ScriptError) -> [Claim] {
        guard let text = recorded.claims else { return [] }
        return try ScriptParser().parseClaims(text, fileName: "\(path) seq \(recorded.seq) claims")
    }
}
