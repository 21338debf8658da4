import Journal

/// One Perfetto export in progress: the query runner, the writer, the tracks handed out so
/// far and the window. Each `write…` pass (in `PerfettoTrace+…` files) streams one query's
/// rows into events.
final class PerfettoTrace {
    let runner: QueryRunner
    let writer: TraceEventWriter
    let timeBase: any TimeBase
    var tracks: TrackTable
    var summary = PerfettoExporter.Summary()
    /// The seqs exported, and where the trace starts and ends in nanoseconds.
    let firstSeq: Int64, lastSeq: Int64
    let startNanoseconds: Int64, endNanoseconds: Int64

    init(runner: QueryRunner, output: TextOutput, timeBase: any TimeBase, window: ClosedRange<Int64>?) throws(ExportError) {
        self.runner = runner
        self.timeBase = timeBase
        // The window is cut to the journal's ops, so a `--from-seq` far past the end (2^62,
        // Int64.max) makes an empty trace, not a time that overflows. The journal's last
        // seq is kept below Int64.max so the tick after it exists.
        let journalLastSeq = min(try runner.integerValue("SELECT coalesce(max(seq), -1) FROM ops") ?? -1, Int64.max - 1)
        firstSeq = min(max(window?.lowerBound ?? 0, 0), journalLastSeq + 1)
        lastSeq = min(window?.upperBound ?? journalLastSeq, journalLastSeq)
        let start = try runner.integerValue("SELECT \(timeBase.sql(timeOfSeq: String(firstSeq)))") ?? 0
        let end = try runner.integerValue("SELECT coalesce(\(timeBase.sql(timeOfSeq: String(max(lastSeq, firstSeq - 1) + 1))), \(timeBase.endSQL))") ?? 0
        startNanoseconds = timeBase.nanoseconds(fromRaw: start)
        endNanoseconds = timeBase.nanoseconds(fromRaw: end)
        tracks = TrackTable(try Self.owners(runner))
        writer = TraceEventWriter(output: output, otherData: try Self.runData(runner, timeBase: timeBase))
        summary.window = firstSeq <= lastSeq ? firstSeq...lastSeq : nil
    }

    /// The time of a row's seq: `timeBase.sql` was selected beside it, so this converts.
    func nanoseconds(_ raw: Int64?) -> Int64? { raw.map(timeBase.nanoseconds(fromRaw:)) }

    /// `AND <column> BETWEEN first AND last`: the window as a filter on a seq column.
    func inWindow(_ column: String) -> String { "\(column) BETWEEN \(firstSeq) AND \(lastSeq)" }

    func write(_ event: TraceEvent) {
        writer.write(event)
        summary.events += 1
    }

    /// Names the processes and threads, closes the JSON.
    func finish() {
        for event in tracks.metadataEvents() { write(event) }
        summary.lanes = tracks.laneCount
        writer.finish()
    }

    /// Runs `sql` and hands each row to `body`, wrapping journal errors.
    func forEachRow(_ sql: String, _ body: (QueryCursor) -> Void) throws(ExportError) {
        let rows = try runner.rows(sql)
        while try rows.advance() { body(rows) }
    }

    private static func owners(_ runner: QueryRunner) throws(ExportError) -> [TrackTable.OwnerName] {
        let result = try runner.result("SELECT id, kind, name FROM names WHERE kind IN ('device', 'iommu') ORDER BY id")
        return result.rows.compactMap { row in
            guard case .integer(let id) = row[0], case .text(let kind) = row[1], case .text(let name) = row[2] else { return nil }
            return TrackTable.OwnerName(id: id, kind: kind, name: name)
        }
    }

    /// The trace's `otherData`: where it came from and what its time axis means.
    private static func runData(_ runner: QueryRunner, timeBase: any TimeBase) throws(ExportError) -> [(String, String)] {
        let result = try runner.result("SELECT tool_version, source, created_at, coalesce(printf('0x%x', seed), 'none'), op_count, finished FROM run_info")
        guard let row = result.rows.first else { return [("time_base", timeBase.label)] }
        let text = { (index: Int) -> String in
            switch row[index] {
            case .integer(let value): return String(value)
            case .text(let value): return value
            default: return ""
            }
        }
        return [("generator", "dmajournal export --format perfetto"), ("time_base", timeBase.label),
                ("recorded_by", "dmajournal " + text(0)), ("source", text(1)), ("created_at", text(2)),
                ("seed", text(3)), ("op_count", text(4)), ("finished", text(5) == "1" ? "yes" : "no")]
    }
}
