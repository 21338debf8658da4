import DMASim

/// One op read back from a journal, with its recorded outcome.
public struct RecordedOp: Sendable, Hashable {
    /// The op's position in apply order (`ops.seq`), also its virtual time.
    public var seq: Int
    public var op: Op
    public var outcome: RecordedOutcome
    /// The op-script line it came from, when it came from one.
    public var sourceLine: Int?

    public init(seq: Int, op: Op, outcome: RecordedOutcome, sourceLine: Int?) {
        self.seq = seq; self.op = op; self.outcome = outcome; self.sourceLine = sourceLine
    }
}
