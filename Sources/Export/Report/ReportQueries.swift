import Journal

/// The SQL behind the report, each answer typed. Row-by-row passes (`forEach…`) stream;
/// the rest return small results (one row per device, per class, per bucket), or the
/// first rows of a table with its total.
struct ReportQueries {
    let runner: QueryRunner

    /// The `run_info` row.
    struct RunSummary {
        var toolVersion = "", schemaVersion = "", seed: String?, source = "", createdAt = ""
        var finished = false
        var opCount: Int64 = 0
        var lastSeq: Int64?
        var topologyLines: [String] = []
    }

    /// One device's mapped ranges at a glance: the IOVA window the chart spans.
    struct DeviceBounds {
        var deviceID: Int64?
        var name: String
        var iovaLow: UInt64
        var iovaHigh: UInt64
        var rangeCount: Int64
    }

    /// The first rows of a query and how many it returned in all.
    struct LimitedTable {
        var columns: [String]
        var rows: [[SQLValue]]
        var totalRows: Int
    }

    func runSummary() throws(ExportError) -> RunSummary {
        let row = try runner.rows("""
            SELECT tool_version, schema_version, printf('0x%x', seed), source, created_at, finished, op_count, last_seq, topology FROM run_info
            """)
        var summary = RunSummary()
        guard try row.advance() else { return summary }
        summary.toolVersion = row.text(at: 0) ?? ""
        summary.schemaVersion = row.text(at: 1) ?? ""
        summary.seed = row.text(at: 2)
        summary.source = row.text(at: 3) ?? ""
        summary.createdAt = row.text(at: 4) ?? ""
        summary.finished = row.integer(at: 5) == 1
        summary.opCount = row.integer(at: 6) ?? 0
        summary.lastSeq = row.integer(at: 7)
        summary.topologyLines = (row.text(at: 8) ?? "").split(separator: "\n").map(String.init)
        return summary
    }

    func count(_ sql: String) throws(ExportError) -> Int64 {
        try runner.integerValue(sql) ?? 0
    }

    /// Devices with mapped ranges, by name; the same walk in seq order as `per_device`.
    func deviceBounds() throws(ExportError) -> [DeviceBounds] {
        let row = try runner.rows("""
            SELECT o.device, coalesce(d.name, '(no device)'), min(r.iova), max(r.iova + r.length), count(*)
            FROM mapped_ranges r CROSS JOIN ops o ON o.seq = r.seq LEFT JOIN names d ON d.id = o.device
            WHERE r.seq >= 0 GROUP BY o.device ORDER BY 2
            """)
        var bounds: [DeviceBounds] = []
        while try row.advance() {
            bounds.append(DeviceBounds(deviceID: row.integer(at: 0), name: row.text(at: 1) ?? "", iovaLow: row.unsigned(at: 2) ?? 0,
                                       iovaHigh: row.unsigned(at: 3) ?? 0, rangeCount: row.integer(at: 4) ?? 0))
        }
        return bounds
    }

    /// For each device, the blocks of its window (`IOVAAxis.blockShift`) that mapped ranges
    /// cover, with the lowest and highest address mapped in each: one pass over the
    /// ranges, grouped in SQL, so the answer is about `IOVAAxis.blockCount` rows per device.
    func occupiedBlocks(_ devices: [DeviceBounds]) throws(ExportError) -> [Int64?: [IOVAAxis.OccupiedBlock]] {
        let known = devices.filter { $0.deviceID != nil && $0.iovaHigh > $0.iovaLow }
        guard !known.isEmpty else { return [:] }
        let low = "CASE o.device " + known.map { "WHEN \($0.deviceID!) THEN \(Int64(bitPattern: $0.iovaLow))" }.joined(separator: " ") + " END"
        let shift = "CASE o.device " + known.map { device in
            "WHEN \(device.deviceID!) THEN \(IOVAAxis.blockShift(low: device.iovaLow, high: device.iovaHigh))"
        }.joined(separator: " ") + " END"
        let row = try runner.rows("""
            SELECT o.device, (r.iova - \(low)) >> \(shift), (r.iova + r.length - 1 - \(low)) >> \(shift), min(r.iova), max(r.iova + r.length)
            FROM mapped_ranges r CROSS JOIN ops o ON o.seq = r.seq
            WHERE r.seq >= 0 AND r.length > 0 GROUP BY 1, 2, 3
            """)
        var blocks: [Int64?: [IOVAAxis.OccupiedBlock]] = [:]
        while try row.advance() {
            guard let first = row.unsigned(at: 1), let last = row.unsigned(at: 2), first <= last,
                  let low = row.unsigned(at: 3), let high = row.unsigned(at: 4) else { continue }
            // A range over several blocks marks each; its bounds stand for all of them.
            let covered = (first...min(last, first > UInt64.max - IOVAAxis.blockCount ? UInt64.max : first + IOVAAxis.blockCount)).map { IOVAAxis.OccupiedBlock(index: $0, low: low, high: high) }
            blocks[row.integer(at: 0), default: []] += covered
        }
        return blocks
    }

    func sizeHistogram() throws(ExportError) -> Log2Histogram {
        let row = try runner.rows("SELECT length, count(*) FROM mapped_ranges GROUP BY length")
        var histogram = Log2Histogram()
        while try row.advance() { histogram.add(row.unsigned(at: 0) ?? 0, count: Int(row.integer(at: 1) ?? 0)) }
        return histogram
    }

    /// Every mapped range's life, in no particular order: (device id, span).
    func forEachSpan(_ body: (Int64?, DeviceTimeline.Span) -> Void) throws(ExportError) {
        let row = try runner.rows("SELECT device_id, mapped_seq, unmapped_seq, iova, length, handle FROM mapping_spans")
        while try row.advance() {
            body(row.integer(at: 0), DeviceTimeline.Span(mappedSeq: row.integer(at: 1) ?? 0, unmappedSeq: row.integer(at: 2),
                                                         iova: row.unsigned(at: 3) ?? 0, length: row.unsigned(at: 4) ?? 0,
                                                         handle: row.text(at: 5) ?? "?"))
        }
    }

    /// Every fault: (device id, mark).
    func forEachFault(_ body: (Int64?, TimelineMarks.Mark) -> Void) throws(ExportError) {
        let row = try runner.rows("""
            SELECT o.seq, o.device, o.fault_address, fk.name, k.name
            FROM ops o JOIN fault_kind fk ON fk.code = o.fault_kind JOIN op_kind k ON k.code = o.kind
            WHERE o.fault_kind IS NOT NULL ORDER BY o.seq
            """)
        while try row.advance() {
            let seq = row.integer(at: 0) ?? 0, address = row.unsigned(at: 2)
            let label = "seq \(seq): \(row.text(at: 4) ?? "") fault \(row.text(at: 3) ?? "") at 0x\(String(address ?? 0, radix: 16))"
            body(row.integer(at: 1), TimelineMarks.Mark(seq: seq, address: address, label: label))
        }
    }

    /// Every finding: (device id, mark).
    func forEachFinding(_ body: (Int64?, TimelineMarks.Mark) -> Void) throws(ExportError) {
        let row = try runner.rows("""
            SELECT f.seq, o.device, f.class, f.handle FROM findings f CROSS JOIN ops o ON o.seq = f.seq
            WHERE f.seq >= 0 ORDER BY f.seq, f.idx
            """)
        while try row.advance() {
            let seq = row.integer(at: 0) ?? 0
            let label = "seq \(seq): \(row.text(at: 2) ?? "")" + (row.text(at: 3).map { " (\($0))" } ?? "")
            body(row.integer(at: 1), TimelineMarks.Mark(seq: seq, address: nil, label: label))
        }
    }

    /// The first `limit` rows of `sql`, counting the rest.
    func table(_ sql: String, limit: Int) throws(ExportError) -> LimitedTable {
        let row = try runner.rows(sql)
        var table = LimitedTable(columns: row.columns, rows: [], totalRows: 0)
        while try row.advance() {
            if table.totalRows < limit { table.rows.append(row.values) }
            table.totalRows += 1
        }
        return table
    }

    /// The SQL of the journal's named query `name`.
    func namedSQL(_ name: String) throws(ExportError) -> String {
        let queries = try reading { () throws(JournalError) in try runner.namedQueries() }
        guard let query = queries.first(where: { $0.name == name }) else {
            throw .journal(.unknownNamedQuery(path: runner.path, name: name, known: queries.map(\.name)))
        }
        return query.sql
    }
}
