/// How an op's place in a journal becomes a time on an exported timeline.
///
/// A simulated run has no clock: its only time is the op's position, `ops.seq`
/// (`SequenceTimeBase`). A journal imported from a real trace may one day carry each op's
/// timestamp in a column; a time base reading that column then replaces this one, and the
/// exporters, which only ever ask a time base for SQL and nanoseconds, stay as they are.
public protocol TimeBase: Sendable {
    /// One line for the trace's metadata and the docs: what the time axis means.
    var label: String { get }
    /// SQL for the time of the op whose seq is `seqExpression`, in the base's own unit,
    /// inside a query over the journal.
    func sql(timeOfSeq seqExpression: String) -> String
    /// SQL for the end of the journal: one tick after its last op, where a mapping that
    /// was never unmapped ends.
    var endSQL: String { get }
    /// A value of that SQL, as nanoseconds of trace time.
    func nanoseconds(fromRaw value: Int64) -> Int64
}

/// Virtual time: op `seq` happens at `seq` microseconds (1 op = 1 µs), so a trace viewer's
/// time ruler reads directly as op numbers.
public struct SequenceTimeBase: TimeBase {
    public static let nanosecondsPerOp: Int64 = 1000

    public init() {}

    public var label: String { "virtual time: ts = ops.seq, 1 op = 1 µs" }

    public func sql(timeOfSeq seqExpression: String) -> String { seqExpression }

    public var endSQL: String { "(SELECT coalesce(max(seq), -1) + 1 FROM ops)" }

    /// Saturates instead of trapping: a damaged journal's seq can be anything.
    public func nanoseconds(fromRaw value: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: Self.nanosecondsPerOp)
        return overflow ? (value < 0 ? .min : .max) : product
    }
}
