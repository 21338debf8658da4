/// Where applied ops and their outcomes go: the journal writer, the script printer, a
/// report. The engine never calls a sink itself (it does no I/O); the pipeline that
/// drives the engine hands each op and outcome on.
public protocol EventSink {
    /// Records op number `sequence` (0-based, in apply order). `sourceLine` is the op
    /// script line it came from, when it came from one.
    mutating func record(_ op: Op, outcome: Outcome, sequence: Int, sourceLine: Int?) throws
    /// Flushes whatever is buffered; called once after the last op.
    mutating func finish() throws
}
