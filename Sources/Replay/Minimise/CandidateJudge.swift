import DMASim
import Foundation
import OpScript
import Snapshot

/// Runs a candidate reproducer on a fresh engine and says whether the bug still shows.
/// A candidate where an op cannot run at all (an unknown handle or device, because the
/// op that declared it was removed) is invalid and never counts as showing the bug.
struct CandidateJudge {
    let predicate: BisectPredicate
    /// For event predicates: the observable status the first bad op had (a stale access
    /// that landed, a fault of a kind), which the firing op must keep, so a reproducer
    /// shows the bug the way the journal did and not a cousin of it.
    let status: String?
    /// For event predicates: the misuse classes the first bad op reported, which the firing
    /// op must report too (a fault that is a use after destroy stays one).
    let misuses: Set<MisuseClass>
    let overrides: [TopologyOverride]
    /// Candidates judged so far.
    private(set) var runs = 0

    /// `original` is the first bad op's replayed outcome, for event predicates.
    init(predicate: BisectPredicate, original: Outcome?, overrides: [TopologyOverride]) {
        self.predicate = predicate
        self.status = original.map { OutcomeComparison.observable($0.status) }
        misuses = Set(original?.findings.map(\.misuse) ?? [])
        self.overrides = overrides
    }

    mutating func holds(_ lines: [ScriptLine]) throws(ReplayError) -> Bool {
        runs += 1
        switch predicate {
        case .command(let command): return try commandHolds(lines, command: command)
        case .divergence: return divergenceShows(lines)
        case .finding, .fault, .mismatch:
            let engine = Engine(), keeper = SnapshotKeeper()
            for (sequence, line) in lines.enumerated() {
                // Through a keeper, so `checkpoint` and `verify` lines run as in `dmajournal run`.
                guard let outcome = try? keeper.apply(overrides.apply(to: line.op), to: engine, sequence: sequence) else { return false }
                if case .rejected = outcome.status { return false }
                if predicate.fires(op: line.op, outcome: outcome, claims: line.claims, recorded: nil, comparison: .exact),
                   status == nil || status == OutcomeComparison.observable(outcome.status),
                   misuses.isSubset(of: outcome.findings.map(\.misuse)) {
                    return true
                }
            }
            return false
        }
    }

    /// The recorded machine against the changed one, op by op.
    private func divergenceShows(_ lines: [ScriptLine]) -> Bool {
        let recorded = Engine(), changed = Engine()
        for line in lines {
            let expected = recorded.apply(line.op)
            if case .rejected = expected.status { return false }
            let actual = changed.apply(overrides.apply(to: line.op))
            if !OutcomeComparison.behaviour.differingFields(.init(expected), .init(actual)).isEmpty { return true }
        }
        return false
    }

    private func commandHolds(_ lines: [ScriptLine], command: String) throws(ReplayError) -> Bool {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmajournal-candidate-\(UUID().uuidString).ops").path
        guard FileManager.default.createFile(atPath: path, contents: Data(ScriptPrinter().print(Script(lines: lines)).utf8)) else {
            throw .commandAborted("cannot write a candidate script to \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CommandJudge.judge(script: path, seq: lines.count - 1, command: command).verdict == .bad
    }
}
