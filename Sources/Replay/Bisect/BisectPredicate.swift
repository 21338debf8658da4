import DMASim
import Journal
import OpScript

/// What `bisect` and `minimize` look for: the condition that makes a run "bad".
///
/// Event predicates hold from the first op whose replayed outcome shows the event on;
/// `command` judges the state after a prefix of the journal.
public enum BisectPredicate: Sendable, Hashable, CustomStringConvertible {
    /// The checker reported a misuse (of this class).
    case finding(MisuseClass?)
    /// A device access faulted (with this kind).
    case fault(FaultKind?)
    /// An op's recorded `=>` claims (the data a driver expected back, its addresses,
    /// `bytes=`/`digest=`) fail on the replayed outcome.
    case mismatch
    /// The replayed outcome differs from the recorded one: exactly on the recorded
    /// machine, in behaviour under `--with`.
    case divergence
    /// An external command judges a reproducer script of the prefix (`--run`).
    case command(String)

    /// Spellings accepted by `--until`.
    public static let syntax = "finding[=CLASS] | fault[=KIND] | mismatch | divergence"

    /// Parses `--until`. `violation[=CLASS]` is accepted for `finding[=CLASS]`, as op
    /// scripts spell the claim (`=> ok, violation use-after-destroy`).
    public init(parsing text: String) throws(ReplayError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts.first ?? "", argument = parts.count > 1 ? parts[1] : nil
        switch (name, argument) {
        case ("finding", nil), ("violation", nil): self = .finding(nil)
        case ("finding", let value?), ("violation", let value?):
            guard let misuse = MisuseClass(rawValue: value) else { throw .badPredicate("unknown misuse class '\(value)'") }
            self = .finding(misuse)
        case ("fault", nil): self = .fault(nil)
        case ("fault", let value?):
            guard let kind = FaultKind(rawValue: value) else {
                throw .badPredicate("unknown fault kind '\(value)' (\(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self = .fault(kind)
        case ("mismatch", nil): self = .mismatch
        case ("divergence", nil): self = .divergence
        case ("memory", _):
            // Memory is not monotone in the ops (a later write can restore what an earlier
            // one changed), so no binary search answers "first op where it differs".
            throw .badPredicate("memory=SNAPSHOT is not a bisect predicate (memory can change back); "
                                + "compare memory at an op with `dmajournal verify FILE --against SNAPSHOT --at SEQ`")
        default: throw .badPredicate("'\(text)' is not a predicate (\(Self.syntax))")
        }
    }

    public var description: String {
        switch self {
        case .finding(let misuse): return misuse.map { "finding=\($0.rawValue)" } ?? "finding"
        case .fault(let kind): return kind.map { "fault=\($0.rawValue)" } ?? "fault"
        case .mismatch: return "mismatch"
        case .divergence: return "divergence"
        case .command(let command): return "run '\(command)'"
        }
    }

    /// Whether the predicate is decided op by op from outcomes (the rest judge a state).
    public var isEvent: Bool {
        switch self {
        case .finding, .fault, .mismatch, .divergence: return true
        case .command: return false
        }
    }

    /// Whether the engine's running tally counts this event, so a checkpoint says whether
    /// it had happened by then.
    var isCountedInTally: Bool {
        switch self {
        case .finding, .fault: return true
        default: return false
        }
    }

    /// Whether the event had happened by the time `tally` was taken.
    func holds(in tally: OutcomeTally) -> Bool {
        switch self {
        case .finding(let misuse): return tally.findingCount(misuse) > 0
        case .fault(let kind): return tally.faultCount(kind) > 0
        default: return false
        }
    }

    /// Whether the replayed `outcome` of `op` shows the event. `recorded` is the journal's
    /// outcome and claims, for `mismatch` and `divergence`.
    public func fires(op: Op, outcome: Outcome, claims: [Claim], recorded: RecordedOutcome?, comparison: OutcomeComparison) -> Bool {
        switch self {
        case .finding(let misuse): return misuse.map(outcome.reports) ?? !outcome.findings.isEmpty
        case .fault(let kind): return outcome.fault.map { kind == nil || $0.kind == kind } ?? false
        case .mismatch: return !Claim.check(claims, outcome: outcome, op: op).isEmpty
        case .divergence:
            guard let recorded else { return false }
            return !comparison.differingFields(recorded, RecordedOutcome(outcome)).isEmpty
        case .command: return false
        }
    }
}
