import DMASim
import Journal

/// What `bisect` concluded, and what it cost.
public struct BisectResult: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// The first op after which the predicate holds.
        case firstBad(Int)
        /// Skipped steps left the first bad op somewhere in this range.
        case inconclusive(ClosedRange<Int>)
    }

    public var verdict: Verdict
    /// Predicate evaluations: ops checked for an event predicate, judgements of a prefix
    /// (replays or external runs) otherwise.
    public var steps: Int
    /// Ops the engine re-executed in all.
    public var replayedOps: Int
    /// The seq the first replay segment started after (-1: from an empty machine).
    public var startedAfter: Int
    /// The replayed outcome of the first bad op, when bisect replayed it.
    public var replayedOutcome: Outcome?
    /// Skipped prefixes (`--run` exit 125), in the order they were tried.
    public var skipped: [Int] = []
    /// Checkpoint states decoded to find where to start.
    public var checkpointProbes = 0
    /// The checkpoint the replay started from, if any.
    public var startCheckpoint: String?
}
