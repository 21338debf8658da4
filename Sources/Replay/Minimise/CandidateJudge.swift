import DMASim
import Foundation
import Journal
import OpScript

/// Runs a candidate reproducer on a fresh engine and says whether the bug still shows.
///
/// A candidate is valid only if every op it keeps does what it did in the journal
/// (`ReferenceOutcomes`: same status, no new misuse, on the machine and with
/// needs-sync-map on); an op that cannot run at all (its device or handle was removed)
/// makes it invalid too. Invalid candidates never count as showing the bug, and under
/// `--run` they are turned down without starting the command.
struct CandidateJudge {
    let predicate: BisectPredicate
    /// For event predicates: the observable status the first bad op had (a stale access
    /// that landed, a fault of a kind), which the firing op must keep, so a reproducer
    /// shows the bug the way the journal did and not a cousin of it.
    let status: String?
    /// For event predicates: the misuse classes the first bad op reported, which the firing
    /// op must report exactly (a fault that is a use after destroy stays one, and gains no
    /// other class).
    let misuses: Set<MisuseClass>
    let overrides: [TopologyOverride]
    let reference: ReferenceOutcomes
    /// The journal seq of the first bad op, whose claims a `--run` candidate keeps.
    var firstBad = -1
    /// Polled before each candidate: true once the user pressed Ctrl-C.
    let isInterrupted: () -> Bool
    /// Candidates judged so far.
    private(set) var runs = 0
    /// The shortest candidate that showed the bug so far: what Ctrl-C keeps.
    private(set) var best: [ScriptLine]?
    /// Told each time `best` gets shorter: its op count and the candidates run.
    var onImprovement: (Int, Int) -> Void = { _, _ in }

    /// `original` is the first bad op's replayed outcome, for event predicates.
    init(predicate: BisectPredicate, original: Outcome?, overrides: [TopologyOverride], reference: ReferenceOutcomes,
         isInterrupted: @escaping () -> Bool = { false }) {
        self.predicate = predicate
        self.status = original.map { OutcomeComparison.observable($0.status) }
        misuses = Set(original?.findings.map(\.misuse) ?? [])
        self.overrides = overrides
        self.reference = reference
        self.isInterrupted = isInterrupted
    }

    mutating func holds(_ lines: [ScriptLine]) throws(ReplayError) -> Bool {
        if isInterrupted() { throw .interrupted }
        runs += 1
        guard let outcomes = reference.check(lines) else { return false }
        let shows: Bool
        switch predicate {
        case .command(let command): shows = try commandHolds(lines, command: command)
        case .divergence: shows = divergenceShows(lines)
        case .finding, .fault, .mismatch: shows = eventShows(lines, outcomes)
        }
        if shows, lines.count < (best?.count ?? Int.max) {
            best = lines
            onImprovement(lines.count, runs)
        }
        return shows
    }

    private func eventShows(_ lines: [ScriptLine], _ outcomes: [Outcome]) -> Bool {
        zip(lines, outcomes).contains { line, outcome in
            predicate.fires(op: line.op, outcome: outcome, claims: line.claims, recorded: nil, comparison: .exact)
                && (status == nil || status == OutcomeComparison.observable(outcome.status))
                && misuses == Set(outcome.findings.map(\.misuse))
        }
    }

    /// The recorded machine against the changed one, op by op.
    private func divergenceShows(_ lines: [ScriptLine]) -> Bool {
        let recorded = Engine(), changed = overrides.freshEngine()
        for line in lines {
            let expected = recorded.apply(line.op)
            if case .rejected = expected.status { return false }
            let actual = changed.apply(overrides.apply(to: line.op))
            if !OutcomeComparison.behaviour.differingFields(.init(expected), .init(actual)).isEmpty { return true }
        }
        return false
    }

    /// The candidate carries the recorded claims of the first bad op only, the evidence
    /// of the bug. The others' recorded `iova=` and `digest=` depend on every allocation
    /// and write before them: once one is removed they fail, `dmajournal run` stops there,
    /// and every smaller candidate looked "good" (the 15-minute --run of issue 17).
    private func commandHolds(_ lines: [ScriptLine], command: String) throws(ReplayError) -> Bool {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmajournal-candidate-\(UUID().uuidString).ops").path
        let candidate = lines.map { line -> ScriptLine in
            var line = line
            if line.lineNumber != firstBad { line.claims = [] }
            return line
        }
        // Registered before it exists, so a second Ctrl-C (which exits at once) removes it.
        let scratch = TemporaryFiles.register(path)
        defer {
            try? FileManager.default.removeItem(atPath: path)
            scratch.release()
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(ScriptPrinter().print(Script(lines: candidate)).utf8)) else {
            throw .commandAborted("cannot write a candidate script to \(path)")
        }
        do throws(ReplayError) {
            let verdict = try CommandJudge.judge(script: path, seq: lines.count - 1, command: command).verdict
            if isInterrupted() { throw .interrupted }
            return verdict == .bad
        } catch {
            // Ctrl-C reaches the command too, which then dies of SIGINT: that is the
            // user stopping us, not the command failing.
            throw isInterrupted() ? .interrupted : error
        }
    }
}
