/// What the report knows about one device's mappings over time: its IOVA bounds, every
/// mapping while there are few (drawn as one rectangle each), an `OccupancyGrid` always
/// (drawn once there are many), and its faults and findings.
struct DeviceTimeline {
    /// One mapped range's life, from `mapping_spans`.
    struct Span {
        var mappedSeq: Int64
        /// nil: still mapped at the end of the journal.
        var unmappedSeq: Int64?
        var iova: UInt64
        var length: UInt64
        var handle: String
    }

    let deviceID: Int64?
    let name: String
    let axis: IOVAAxis
    let seqEnd: Int64
    let exactLimit: Int
    private(set) var spans: [Span] = []
    private(set) var spanCount = 0
    private(set) var grid: OccupancyGrid
    var faults: TimelineMarks
    var findings: TimelineMarks

    init(bounds: ReportQueries.DeviceBounds, axis: IOVAAxis, seqEnd: Int64, limits: ReportLimits, deviceCount: Int) {
        deviceID = bounds.deviceID
        name = bounds.name
        self.axis = axis
        self.seqEnd = max(seqEnd, 1)
        exactLimit = limits.exactSpans(deviceCount: deviceCount)
        let (columns, rows) = limits.gridSize(deviceCount: deviceCount)
        grid = OccupancyGrid(columns: columns, rows: rows, seqEnd: Double(self.seqEnd))
        faults = TimelineMarks(limit: limits.marksPerDevice, columns: columns)
        findings = TimelineMarks(limit: limits.marksPerDevice, columns: columns)
    }

    /// Few enough spans to draw each one.
    var isExact: Bool { spanCount <= exactLimit }

    mutating func add(_ span: Span) {
        spanCount += 1
        if spanCount <= exactLimit { spans.append(span) } else if !spans.isEmpty { spans = [] }
        guard let bottom = axis.position(of: span.iova), let top = axis.position(of: span.iova &+ span.length) else { return }
        grid.add(start: Double(span.mappedSeq), end: Double(span.unmappedSeq ?? seqEnd), bottom: bottom, top: top)
    }

    /// The grid column a seq falls in, for the marks' counts.
    func column(of seq: Int64) -> Int {
        let fraction = Double(seq) / Double(seqEnd)
        return Int(min(max(fraction, 0), 1) * Double(grid.columns))
    }
}
