/// How an op's place in a journal becomes a time on an exported timeline.
///
/// A simulated run without times has no clock: its only time is the op's position,
/// `ops.seq` (`SequenceTimeBase`). Ops that carry the kernel's clock (`ops.time_ns`: an
/// imported trace's timestamps, a script's `time=`, its `advance`) are placed at that
/// clock instead (`KernelClockTimeBase`). `TimeBaseChoice.timeBase(for:)` picks one for a
/// journal. Either way time never goes backwards as seq grows, so the exporters order by
/// seq and ask the time base only for nanoseconds.
public protocol TimeBase: Sendable {
    /// One line for the trace's metadata and the docs: what the time axis means.
    var label: String { get }
    /// The trace-event format's `displayTimeUnit` ("ns" or "ms"): the unit a viewer that
    /// honours it (chrome://tracing) shows durations in.
    var displayTimeUnit: String { get }
    /// True when times are the kernel's clock (nanoseconds since boot), false for op order.
    var isKernelClock: Bool { get }
    /// When op `seq` ran, in nanoseconds of trace time. Non-decreasing in `seq`.
    func nanoseconds(atSeq seq: Int64) -> Int64
    /// Where a trace whose last op is `lastSeq` ends: after that op, where a mapping that
    /// was never unmapped ends.
    func nanoseconds(after lastSeq: Int64) -> Int64
}

/// Op order: op `seq` happens at `seq` nanoseconds (1 op = 1 ns), so a trace viewer's
/// time ruler, shown in ns, reads directly as op counts.
public struct SequenceTimeBase: TimeBase {
    public static let nanosecondsPerOp: Int64 = 1

    public init() {}

    public var label: String { "op order: ts = ops.seq ns (1 op = 1 ns; the journal's ops carry no kernel time)" }
    public var displayTimeUnit: String { "ns" }
    public var isKernelClock: Bool { false }

    /// Saturates instead of trapping: a damaged journal's seq can be anything.
    public func nanoseconds(atSeq seq: Int64) -> Int64 {
        let (product, overflow) = seq.multipliedReportingOverflow(by: Self.nanosecondsPerOp)
        return overflow ? (seq < 0 ? .min : .max) : product
    }

    public func nanoseconds(after lastSeq: Int64) -> Int64 {
        nanoseconds(atSeq: lastSeq == .max ? lastSeq : lastSeq + 1)
    }
}
