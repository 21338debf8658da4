import DMASim

/// One op read back from a journal, with its recorded outcome.
public struct RecordedOp: Sendable, Hashable {
    /// The op's position in apply order (`ops.seq`), also its virtual time.
    public var seq: Int
    /// The op as it was applied.
    public var op: Op
    /// What the op returned and caused, as the journal keeps it.
    public var outcome: RecordedOutcome
    /// The op-script line it came from, when it came from one.
    public var sourceLine: Int?
    /// The `=>` claims it was recorded with, as op-script text (nil: none, or a journal
    /// older than schema 5).
    public var claims: String?

    /// An op as a reader builds it from its rows.
    public init(seq: Int, op: Op, outcome: RecordedOutcome, sourceLine: Int?, claims: String? = nil) {
        self.seq = seq; self.op = op; self.outcome = outcome; self.sourceLine = sourceLine; self.claims = claims
    }
}
