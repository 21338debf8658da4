/// One file of the CSV export: a journal table, read through its readable view where it
/// has one (names instead of codes, hex addresses), in seq order.
public struct CSVTable: Sendable, Hashable {
    /// The table's name, also the file name (`ops.csv`).
    public var name: String
    /// What one row is, for `--help` and docs/export.md.
    public var summary: String
    public var sql: String
    /// The journal table the rows come from; an older journal may lack it.
    public var sourceTable: String

    /// Every table, in the order a directory export writes them.
    public static let all: [CSVTable] = [
        CSVTable(name: "run", summary: "the recording: tool, source, seed, op count, topology (run_info)",
                 sql: "SELECT * FROM run_info", sourceTable: "run"),
        CSVTable(name: "topology", summary: "one region, IOMMU, device or swiotlb declaration",
                 sql: "SELECT * FROM topology ORDER BY seq", sourceTable: "topology"),
        CSVTable(name: "ops", summary: "one op with its outcome's summary (op_log)",
                 sql: "SELECT * FROM op_log ORDER BY seq", sourceTable: "ops"),
        CSVTable(name: "mapped_ranges", summary: "one mapped range with its lifetime (mapping_lifetimes)",
                 sql: "SELECT * FROM mapping_lifetimes ORDER BY mapped_seq, idx", sourceTable: "mapped_ranges"),
        CSVTable(name: "events", summary: "one side event: IOTLB, flush queue, IOVA free, cache, bounce (event_log)",
                 sql: "SELECT * FROM event_log ORDER BY seq, idx", sourceTable: "events"),
        CSVTable(name: "findings", summary: "one misuse finding, with its op and device",
                 sql: """
                     SELECT f.seq, f.idx, k.name AS op, d.name AS device, f.class, f.handle, f.message
                     FROM findings f JOIN ops o ON o.seq = f.seq JOIN op_kind k ON k.code = o.kind
                     LEFT JOIN names d ON d.id = o.device ORDER BY f.seq, f.idx
                     """, sourceTable: "findings"),
        CSVTable(name: "warnings", summary: "one kernel log line, with its op and device",
                 sql: """
                     SELECT w.seq, w.idx, k.name AS op, d.name AS device, w.text
                     FROM warnings w JOIN ops o ON o.seq = w.seq JOIN op_kind k ON k.code = o.kind
                     LEFT JOIN names d ON d.id = o.device ORDER BY w.seq, w.idx
                     """, sourceTable: "warnings"),
        CSVTable(name: "rejections", summary: "one op that could not run, with the reason",
                 sql: "SELECT seq, reason FROM rejections ORDER BY seq", sourceTable: "rejections"),
        CSVTable(name: "injections", summary: "one injected misuse and what the checker said there (injected_ops)",
                 sql: "SELECT * FROM injected_ops ORDER BY seq", sourceTable: "injections"),
    ]

    public static func named(_ name: String) throws(ExportError) -> CSVTable {
        guard let table = all.first(where: { $0.name == name }) else { throw .unknownTable(name: name, known: all.map(\.name)) }
        return table
    }
}
