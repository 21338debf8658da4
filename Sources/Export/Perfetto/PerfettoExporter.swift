import Journal

/// `dmajournal export --format perfetto`: a journal as a Chrome/Perfetto trace-event JSON
/// file (the JSON Object Format), for ui.perfetto.dev and chrome://tracing.
///
/// - Each device and IOMMU is a process (`TrackTable`); mapping lifetimes are complete
///   (`X`) slices on "mappings N" threads, IOVA and physical range, handle, length and
///   prot in their args (from the `mapping_spans` view).
/// - Faults, misuse findings, kernel warnings and side events (IOTLB sync/invalidate,
///   flush-queue traffic, IOVA frees, cache maintenance, bounce copies) are instant (`i`)
///   events on the owner's "events" thread; findings are process-scoped.
/// - Time comes from a `TimeBase`: by default op seq N is at N µs.
///
/// The file is written as the rows are read, one pass per kind of event, so memory stays
/// flat for a journal of any length (only mapping lanes alive at once are remembered).
public struct PerfettoExporter {
    /// What was written, for the command's summary line.
    public struct Summary: Sendable, Hashable {
        public var events = 0
        public var mappingSlices = 0
        public var lanes = 0
        public var faults = 0
        public var findings = 0
        public var warnings = 0
        public var sideEvents = 0
        /// The seqs exported.
        public var window: ClosedRange<Int64>?
    }

    public let journalPath: String
    public var timeBase: any TimeBase
    /// Only ops with seq in this range (inclusive); mappings alive across its edges are
    /// cut at them. nil: the whole journal.
    public var window: ClosedRange<Int64>?

    public init(journalPath: String, timeBase: any TimeBase = SequenceTimeBase(), window: ClosedRange<Int64>? = nil) {
        self.journalPath = journalPath
        self.timeBase = timeBase
        self.window = window
    }

    public func export(to output: TextOutput) throws(ExportError) -> Summary {
        let runner = try QueryRunner.opening(journalPath)
        let trace = try PerfettoTrace(runner: runner, output: output, timeBase: timeBase, window: window)
        try trace.writeMappingSlices()
        try trace.writeFaults()
        try trace.writeFindings()
        try trace.writeWarnings()
        try trace.writeSideEvents()
        trace.finish()
        try output.close()
        return trace.summary
    }
}
