/// Walks one child table (`mapped_ranges`, `events`, …) in `seq, idx` order alongside the
/// ops cursor: a merge join, so reading a journal back is one pass over each table
/// instead of a query per op.
final class ChildRowCursor<Row> {
    typealias Decode = (Statement) throws(OpFieldsProblem) -> Row

    private let statement: Statement
    private let decode: Decode
    /// The seq of the row the statement stands on; nil once the table is exhausted.
    private var currentSeq: Int64?

    /// `sql` selects `seq` first and takes the first seq to read as its one parameter.
    init(_ database: Database, sql: String, from seq: Int64, decode: @escaping Decode) throws(JournalError) {
        statement = try database.prepare(sql)
        statement.bind(seq, at: 1)
        self.decode = decode
        try advance()
    }

    /// The rows belonging to op `seq`, in order. Seqs must be asked for in increasing order.
    func rows(for seq: Int64) throws(JournalError) -> [Row] {
        var rows: [Row] = []
        while let current = currentSeq, current <= seq {
            if current == seq {
                do { rows.append(try decode(statement)) } catch { throw .invalidRecord(path: statement.database.path, seq: seq, reason: error.reason) }
            }
            try advance()
        }
        return rows
    }

    private func advance() throws(JournalError) {
        currentSeq = try statement.step() ? statement.int64(at: 0) : nil
    }
}
