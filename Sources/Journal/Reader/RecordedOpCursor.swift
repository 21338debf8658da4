import DMASim

/// Streams a journal's ops back in order, each with its recorded outcome:
///
///     let cursor = try reader.makeCursor()
///     while let recorded = try cursor.next() { … }
///
/// Memory stays flat however long the journal: one row per table is in flight.
public final class RecordedOpCursor {
    let path: String
    let codes: JournalCodes
    let ops: Statement
    private let topology: ChildRowCursor<Op>
    let ranges: ChildRowCursor<MappedRange>
    let events: ChildRowCursor<SideEvent>
    let findings: ChildRowCursor<Finding>
    let warnings: ChildRowCursor<String>
    let rejections: ChildRowCursor<String>
    /// The seq the next row must have: the reader checked the shape on open, and this
    /// keeps a file changed since then from handing replay ops out of order.
    private var expectedSeq: Int64

    /// The ops columns, then the kind and name of the device and of the handle. Columns a
    /// later schema added (`claims` in 5, `cpu` and `time_ns` in 8) read as NULL from a
    /// journal that lacks them.
    static func opsSQL(columns: JournalColumns) -> String {
        """
            SELECT \(OpsColumn.selectList(present: columns.ops)), d.kind, d.name, h.kind, h.name
            FROM ops LEFT JOIN names d ON d.id = ops.device LEFT JOIN names h ON h.id = ops.handle
            WHERE ops.seq >= ? ORDER BY ops.seq
            """
    }
    static let nameColumns: Int32 = Int32(OpsColumn.allCases.count)

    init(_ database: Database, codes: JournalCodes, columns: JournalColumns, from seq: Int64) throws(JournalError) {
        path = database.path
        self.codes = codes
        expectedSeq = max(seq, 0)
        ops = try database.prepare(Self.opsSQL(columns: columns))
        ops.bind(seq, at: 1)
        let topologyColumns = TopologyColumn.selectList(present: columns.topology)
        topology = try ChildRowCursor(database, sql: "SELECT \(topologyColumns) FROM topology WHERE seq >= ? ORDER BY seq",
                                      from: seq, decode: TopologyRecord.op(from:))
        ranges = try ChildRowCursor(database, sql: "SELECT seq, iova, phys, length, prot, bounced FROM mapped_ranges WHERE seq >= ? ORDER BY seq, idx",
                                    from: seq, decode: Self.range)
        events = try ChildRowCursor(database, sql: "SELECT seq, kind, address, length, target FROM events WHERE seq >= ? ORDER BY seq, idx",
                                    from: seq, decode: { row throws(OpFieldsProblem) in try Self.event(row, codes) })
        findings = try ChildRowCursor(database, sql: "SELECT seq, class, handle, message FROM findings WHERE seq >= ? ORDER BY seq, idx",
                                      from: seq, decode: Self.finding)
        warnings = try ChildRowCursor(database, sql: "SELECT seq, text FROM warnings WHERE seq >= ? ORDER BY seq, idx",
                                      from: seq, decode: { row throws(OpFieldsProblem) in try Self.text(row, "warnings.text") })
        rejections = try ChildRowCursor(database, sql: "SELECT seq, reason FROM rejections WHERE seq >= ? ORDER BY seq",
                                        from: seq, decode: { row throws(OpFieldsProblem) in try Self.text(row, "rejections.reason") })
    }

    /// The next op, or nil after the last.
    public func next() throws(JournalError) -> RecordedOp? {
        guard try ops.step() else { return nil }
        let seq = ops.int64(at: OpsColumn.seq.resultIndex) ?? -1
        guard seq == expectedSeq else {
            throw .damaged(path: path, detail: seq < expectedSeq ? "op seq \(seq) appears more than once" : "op \(expectedSeq) is missing (the next is seq \(seq))")
        }
        expectedSeq += 1
        let topologyOp = try topology.rows(for: seq).first
        let fields: OpFields
        let op: Op
        do throws(OpFieldsProblem) {
            fields = try opFields()
            op = try fields.op(topology: topologyOp)
        } catch {
            throw .invalidRecord(path: path, seq: seq, reason: error.reason)
        }
        let outcome = try recordedOutcome(seq: seq, kind: fields.kind)
        return RecordedOp(seq: Int(seq), op: op, outcome: outcome, sourceLine: ops.int(at: OpsColumn.sourceLine.resultIndex),
                          claims: ops.text(at: OpsColumn.claims.resultIndex))
    }

    /// Every remaining op.
    public func all() throws(JournalError) -> [RecordedOp] {
        var result: [RecordedOp] = []
        while let recorded = try next() { result.append(recorded) }
        return result
    }
}
