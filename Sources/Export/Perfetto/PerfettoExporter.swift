import Journal

/// `dmajournal export --format perfetto`: a journal as a Chrome/Perfetto trace-event JSON
/// file (the JSON Object Format), for ui.perfetto.dev and chrome://tracing.
///
/// - Each device and IOMMU is a process (`TrackTable`). Each IOVA state and streaming
///   mapping has a track (thread) of its own: its life (alloc to destroy or free, map to
///   unmap) is a complete (`X`) slice, and the ranges its links or map put in the page
///   table are slices nested inside it, IOVA and physical range, length and prot in their
///   args (from the `mapping_spans` view).
/// - Faults are zero-length slices on the owner's "events" thread, each with a flow arrow
///   from the mapped range that last covered its address (`fault_history`); misuse
///   findings, kernel warnings and side events (IOTLB sync/invalidate, flush-queue
///   traffic, IOVA frees, cache maintenance, bounce copies) are instant (`i`) events there;
///   findings are process-scoped.
/// - Time comes from a `TimeBase`: the kernel's clock where ops carry it, else op order.
///
/// The file is written as the rows are read, one pass per kind of event, so memory stays
/// flat for a journal of any length (only mapping lanes alive at once are remembered).
public struct PerfettoExporter {
    /// What was written, for the command's summary line.
    public struct Summary: Sendable, Hashable {
        public var events = 0
        /// Mapped ranges, and IOVA-state or streaming-mapping lives.
        public var mappingSlices = 0
        public var lifeSlices = 0
        /// Ranges that could not nest in their life (still mapped after it ended).
        public var unnestedRanges = 0
        /// Threads opened for IOVA states and streaming mappings.
        public var handleTracks = 0
        /// Flow arrows from a mapped range to a fault.
        public var faultFlows = 0
        public var faults = 0
        public var findings = 0
        public var warnings = 0
        public var sideEvents = 0
        /// The seqs exported.
        public var window: ClosedRange<Int64>?
    }

    public let journalPath: String
    /// Which time ops are placed at: the kernel's clock where they carry it, or op order.
    public var time: TimeBaseChoice
    /// Only ops with seq in this range (inclusive); mappings alive across its edges are
    /// cut at them. nil: the whole journal.
    public var window: ClosedRange<Int64>?

    public init(journalPath: String, time: TimeBaseChoice = .automatic, window: ClosedRange<Int64>? = nil) {
        self.journalPath = journalPath
        self.time = time
        self.window = window
    }

    public func export(to output: TextOutput) throws(ExportError) -> Summary {
        let runner = try QueryRunner.opening(journalPath)
        let trace = try PerfettoTrace(runner: runner, output: output, timeBase: try time.timeBase(for: runner), window: window)
        let flows = try FaultFlows(runner, firstSeq: trace.firstSeq, lastSeq: trace.lastSeq)
        try trace.writeLivesAndRanges(flows: flows)
        try trace.writeFaults(flows: flows)
        try trace.writeFindings()
        try trace.writeWarnings()
        try trace.writeSideEvents()
        trace.finish()
        try output.close()
        return trace.summary
    }
}
