/// Everything the report shows, gathered in a fixed number of passes over the journal.
/// Its size is bounded by `ReportLimits` and the number of devices, never by the number of
/// ops.
struct ReportData {
    /// One figure of the totals table; `id` names it in the page (`total-ID`).
    struct Total {
        var id: String
        var label: String
        var value: Int64
    }

    /// One query table; `id` is its section's id.
    struct QueryTable {
        var id: String
        var title: String
        var explanation: String
        var table: ReportQueries.LimitedTable
    }

    var run = ReportQueries.RunSummary()
    var totals: [Total] = []
    var timelines: [DeviceTimeline] = []
    /// Faults and findings on devices that mapped nothing, so have no chart.
    var unplottedMarks = 0
    var sizes = Log2Histogram()
    var lifetimes = Log2Histogram()
    var stillMapped = 0
    var tables: [QueryTable] = []

    static let totalQueries: [(id: String, label: String, sql: String)] = [
        ("ops", "ops", "SELECT count(*) FROM ops"),
        ("mapped-ranges", "mapped ranges", "SELECT count(*) FROM mapped_ranges"),
        ("faults", "device faults", "SELECT count(*) FROM ops WHERE fault_kind IS NOT NULL"),
        ("findings", "misuse findings", "SELECT count(*) FROM findings"),
        ("warnings", "kernel warnings", "SELECT count(*) FROM warnings"),
        ("side-events", "side events (IOTLB, flush queue, cache, bounce)", "SELECT count(*) FROM events"),
        ("rejections", "ops that could not run", "SELECT count(*) FROM rejections"),
    ]

    static func collect(_ queries: ReportQueries, limits: ReportLimits) throws(ExportError) -> ReportData {
        var data = ReportData()
        data.run = try queries.runSummary()
        data.totals = try totalQueries.map { query throws(ExportError) in Total(id: query.id, label: query.label, value: try queries.count(query.sql)) }
        data.sizes = try queries.sizeHistogram()
        try data.collectTimelines(queries, limits: limits)
        data.tables = try Self.queryTables(queries, limits: limits)
        return data
    }

    /// The spans pass (occupancy and lifetimes), then faults and findings as marks.
    private mutating func collectTimelines(_ queries: ReportQueries, limits: ReportLimits) throws(ExportError) {
        let bounds = try queries.deviceBounds()
        let seqEnd = min(run.lastSeq ?? -1, Int64.max - 1) + 1
        let blocks = try queries.occupiedBlocks(bounds)
        timelines = bounds.map { device in
            let axis = IOVAAxis(low: device.iovaLow, high: device.iovaHigh, blocks: blocks[device.deviceID] ?? [],
                                blockShift: IOVAAxis.blockShift(low: device.iovaLow, high: device.iovaHigh))
            return DeviceTimeline(bounds: device, axis: axis, seqEnd: seqEnd, limits: limits, deviceCount: bounds.count)
        }
        var indexByDevice: [Int64?: Int] = [:]
        for (index, timeline) in timelines.enumerated() { indexByDevice[timeline.deviceID] = index }
        try queries.forEachSpan { device, span in
            if let unmapped = span.unmappedSeq {
                let (lifetime, overflow) = unmapped.subtractingReportingOverflow(span.mappedSeq)
                lifetimes.add(overflow ? (unmapped > span.mappedSeq ? UInt64.max : 0) : UInt64(max(lifetime, 0)))
            } else {
                stillMapped += 1
            }
            if let index = indexByDevice[device] { timelines[index].add(span) }
        }
        try queries.forEachFault { device, mark in
            guard let index = indexByDevice[device] else { return unplottedMarks += 1 }
            timelines[index].faults.add(mark, column: timelines[index].column(of: mark.seq))
        }
        try queries.forEachFinding { device, mark in
            guard let index = indexByDevice[device] else { return unplottedMarks += 1 }
            timelines[index].findings.add(mark, column: timelines[index].column(of: mark.seq))
        }
    }

    private static func queryTables(_ queries: ReportQueries, limits: ReportLimits) throws(ExportError) -> [QueryTable] {
        [
            QueryTable(id: "faults-after-unmap", title: "Faults after unmap",
                       explanation: "device faults on an IOVA whose last mapping had already been unmapped (named query faults-after-unmap)",
                       table: try queries.table(try queries.namedSQL("faults-after-unmap"), limit: limits.tableRows)),
            QueryTable(id: "leaks", title: "Leaks at detach",
                       explanation: "IOVA states and streaming mappings still live when their device detached (named query leaks)",
                       table: try queries.table(try queries.namedSQL("leaks"), limit: limits.tableRows)),
            QueryTable(id: "per-device", title: "Per-device totals",
                       explanation: "ops, mappings, accesses, faults and findings per device (named query per-device)",
                       table: try queries.table(try queries.namedSQL("per-device"), limit: limits.tableRows)),
            QueryTable(id: "findings-by-class", title: "Findings by class",
                       explanation: "misuse findings per checker class (docs/checker.md), with the first op that raised each",
                       table: try queries.table("""
                           SELECT class, count(*) AS findings, count(DISTINCT handle) AS handles, min(seq) AS first_seq
                           FROM findings GROUP BY class ORDER BY findings DESC, class
                           """, limit: limits.tableRows)),
        ]
    }
}
