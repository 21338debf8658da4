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

    /// One query table; `id` is its section's id. `rowAnchorPrefix`: rows get the id
    /// `PREFIX-SEQ` (the first row of each seq), seq being the first column, so the "what
    /// went wrong" box can link to them.
    struct QueryTable {
        var id: String
        var title: String
        var explanation: String
        var table: ReportQueries.LimitedTable
        var rowAnchorPrefix: String? = nil
    }

    var run = ReportQueries.RunSummary()
    var time: ReportTimeAxis
    var problems = ReportProblems()
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

    init(time: ReportTimeAxis) { self.time = time }

    static func collect(_ queries: ReportQueries, journalPath: String, timeBase: any TimeBase, limits: ReportLimits) throws(ExportError) -> ReportData {
        let run = try queries.runSummary()
        var data = ReportData(time: ReportTimeAxis(timeBase: timeBase, lastSeq: run.lastSeq ?? -1, firstDrawnSeq: try queries.firstDrawnSeq()))
        data.run = run
        data.totals = try totalQueries.map { query throws(ExportError) in Total(id: query.id, label: query.label, value: try queries.count(query.sql)) }
        data.sizes = try queries.sizeHistogram()
        try data.collectTimelines(queries, limits: limits)
        let claims = FailedClaims(journalPath: journalPath, limit: limits.tableRows)
        data.problems = try ReportProblems.collect(queries, run: run, time: data.time, claims: claims)
        data.tables = try Self.problemTables(queries, claims: claims, limits: limits).map(data.withTimes)
            + (try Self.queryTables(queries, limits: limits))
        return data
    }

    /// `table` with a `time` column after its first (seq) when the journal has kernel time.
    private func withTimes(_ table: QueryTable) -> QueryTable {
        guard time.isKernelClock, table.table.columns.first == "seq" else { return table }
        var timed = table
        timed.table.columns.insert("time", at: 1)
        timed.table.rows = table.table.rows.map { row in
            var row = row
            if case .integer(let seq) = row.first {
                row.insert(.text(TimeText.seconds(time.timeBase.nanoseconds(atSeq: seq))), at: 1)
            } else {
                row.insert(.null, at: 1)
            }
            return row
        }
        return timed
    }

    /// The spans pass (occupancy and lifetimes), then faults and findings as marks.
    private mutating func collectTimelines(_ queries: ReportQueries, limits: ReportLimits) throws(ExportError) {
        let bounds = try queries.deviceBounds()
        let blocks = try queries.occupiedBlocks(bounds)
        timelines = bounds.map { device in
            let axis = IOVAAxis(low: device.iovaLow, high: device.iovaHigh, blocks: blocks[device.deviceID] ?? [],
                                blockShift: IOVAAxis.blockShift(low: device.iovaLow, high: device.iovaHigh))
            return DeviceTimeline(bounds: device, axis: axis, time: time, limits: limits, deviceCount: bounds.count)
        }
        var indexByDevice: [Int64?: Int] = [:]
        for (index, timeline) in timelines.enumerated() { indexByDevice[timeline.deviceID] = index }
        try queries.forEachSpan { device, span in
            if let unmapped = span.unmappedSeq {
                // Lifetime in the time base's unit: ns of kernel time, or ops.
                let (end, start) = time.isKernelClock
                    ? (time.timeBase.nanoseconds(atSeq: unmapped), time.timeBase.nanoseconds(atSeq: span.mappedSeq)) : (unmapped, span.mappedSeq)
                let (lifetime, overflow) = end.subtractingReportingOverflow(start)
                lifetimes.add(overflow ? (end > start ? UInt64.max : 0) : UInt64(max(lifetime, 0)))
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

    /// The tables the "what went wrong" box links into: faults, findings, failed claims,
    /// injected misuse.
    private static func problemTables(_ queries: ReportQueries, claims: FailedClaims, limits: ReportLimits) throws(ExportError) -> [QueryTable] {
        var tables = [
            QueryTable(id: "faults", title: "Faults",
                       explanation: "every device fault with the mapped range that last covered its address and the verdict (view fault_history)",
                       table: try queries.table(ReportQueries.faultsSQL(limit: -1), limit: limits.tableRows), rowAnchorPrefix: "fault"),
            QueryTable(id: "findings", title: "Findings",
                       explanation: "every misuse finding in op order (table findings; docs/checker.md explains each class)",
                       table: try queries.table("""
                           SELECT f.seq, d.name AS device, f.class, f.handle, f.message
                           FROM findings f JOIN ops o ON o.seq = f.seq LEFT JOIN names d ON d.id = o.device ORDER BY f.seq, f.idx
                           """, limit: limits.tableRows), rowAnchorPrefix: "finding"),
            QueryTable(id: "failed-claims", title: "Outcomes that break their recorded claims",
                       explanation: "ops whose recorded outcome is not what they were recorded expecting (a workload's data claims, a script's => claims, for an imported trace what the kernel did)",
                       table: ReportQueries.LimitedTable(columns: ["seq", "op", "expected", "recorded"],
                                                         rows: claims.rows.map { [.integer($0.seq), .text($0.line), .text($0.expected), .text($0.recorded)] },
                                                         totalRows: claims.count), rowAnchorPrefix: "claim"),
        ]
        if try queries.hasTable("injections") {
            tables.append(QueryTable(id: "injections", title: "Injected misuse",
                                     explanation: "the misuse record --inject made the simulated driver commit, with what the checker said at that op (view injected_ops)",
                                     table: try queries.table("SELECT seq, injected, handle, kind, findings_here FROM injected_ops ORDER BY seq", limit: limits.tableRows),
                                     rowAnchorPrefix: "injection"))
        }
        return tables
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
