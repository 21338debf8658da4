/// A judgement of the machine after a prefix of the journal, git-bisect style.
enum PrefixVerdict: Equatable {
    case good
    case bad
    /// The prefix cannot be judged (`--run` exit 125).
    case skip
}

/// One judgement of a prefix by `--run`: the verdict and the exit status it came from.
struct PrefixJudgement: Equatable {
    var verdict: PrefixVerdict
    var exitStatus: Int32
}

/// One step of `bisect --run`, for the progress lines and the log: the prefix judged,
/// what the command said, and what is left, as `git bisect` prints "N revisions left to
/// test after this (roughly k steps)".
public struct BisectStep: Sendable, Equatable, CustomStringConvertible {
    /// The last op of the judged prefix.
    public var seq: Int
    /// "good", "bad" or "skip".
    public var verdict: String
    public var exitStatus: Int32
    /// Seqs still untested between the last good and the first bad prefix.
    public var opsLeft: Int

    /// About how many more judgements a binary search needs: ⌈log2(opsLeft + 1)⌉.
    public var stepsLeft: Int {
        var steps = 0
        while (1 << steps) < opsLeft + 1 { steps += 1 }
        return steps
    }

    public var description: String {
        "seq \(seq) \(verdict) (exit \(exitStatus)): \(opsLeft) ops left, about \(stepsLeft) steps"
    }
}
