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
    let time: ReportTimeAxis
    let exactLimit: Int
    private(set) var spans: [Span] = []
    private(set) var spanCount = 0
    private(set) var grid: OccupancyGrid
    var faults: TimelineMarks
    var findings: TimelineMarks

    init(bounds: ReportQueries.DeviceBounds, axis: IOVAAxis, time: ReportTimeAxis, limits: ReportLimits, deviceCount: Int) {
        deviceID = bounds.deviceID
        name = bounds.name
        self.axis = axis
        self.time = time
        exactLimit = limits.exactSpans(deviceCount: deviceCount)
        let (columns, rows) = limits.gridSize(deviceCount: deviceCount)
        grid = OccupancyGrid(columns: columns, rows: rows, seqEnd: 1)
        faults = TimelineMarks(limit: limits.marksPerDevice, columns: columns)
        findings = TimelineMarks(limit: limits.marksPerDevice, columns: columns)
    }

    /// Few enough spans to draw each one.
    var isExact: Bool { spanCount <= exactLimit }

    /// The id of the device's chart in the page, for links to it.
    var anchor: String { Self.anchor(of: name) }

    /// `device-NAME`, with anything but letters, digits, `-`, `_` and `.` replaced.
    static func anchor(of device: String) -> String {
        "device-" + String(device.unicodeScalars.map { scalar -> Character in
            let allowed = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
            return allowed ? Character(scalar) : "_"
        })
    }

    mutating func add(_ span: Span) {
        spanCount += 1
        if spanCount <= exactLimit { spans.append(span) } else if !spans.isEmpty { spans = [] }
        guard let bottom = axis.position(of: span.iova), let top = axis.position(of: span.iova &+ span.length) else { return }
        // A range mapped and unmapped within one timestamp still shows.
        let start = time.fraction(ofSeq: span.mappedSeq)
        let end = max(span.unmappedSeq.map(time.fraction(ofSeq:)) ?? time.endFraction, start + 1e-9)
        grid.add(start: start, end: end, bottom: bottom, top: top)
    }

    /// The grid column a seq falls in, for the marks' counts.
    func column(of seq: Int64) -> Int {
        Int(time.fraction(ofSeq: seq) * Double(grid.columns))
    }
}
