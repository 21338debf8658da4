import CSQLite

/// A journal file opened read-only through SQLite's C API, for reading its layout and
/// streaming its tables' rows into COPY (the hot path of `push`). Validation that it is a
/// journal at all is `JournalReader`'s, done before this is opened.
final class SQLiteFile {
    let path: String
    let handle: OpaquePointer

    init(path: String) throws(FleetError) {
        var handle: OpaquePointer?
        // NOMUTEX: one thread uses this connection, and in SQLite's default serialized
        // mode every sqlite3_column_* call locks and unlocks the connection's mutex: a
        // quarter of push's client instructions for a 100 K-op journal (callgrind).
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw .journal("\(path): \(message)")
        }
        self.path = path
        self.handle = handle
        sqlite3_exec(handle, "PRAGMA query_only=1", nil, nil, nil)
    }

    deinit { sqlite3_close(handle) }

    /// Prepares `sql`; the statement is finalized when `body` returns.
    func withStatement<R>(_ sql: String, _ body: (OpaquePointer) throws(FleetError) -> R) throws(FleetError) -> R {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .journal("\(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        return try body(statement)
    }

    /// Every row of `sql` as text (NULL as nil).
    func textRows(_ sql: String) throws(FleetError) -> [[String?]] {
        try withStatement(sql) { (statement) throws(FleetError) -> [[String?]] in
            var rows: [[String?]] = []
            while try step(statement) {
                rows.append((0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) }
                })
            }
            return rows
        }
    }

    /// Whether `table` has at least one row.
    func hasRows(_ table: String) throws(FleetError) -> Bool {
        try withStatement("SELECT 1 FROM \(quotedName(table)) LIMIT 1") { (statement) throws(FleetError) in try step(statement) }
    }

    /// `sqlite3_step`: true for a row, false when done.
    func step(_ statement: OpaquePointer) throws(FleetError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw .journal("\(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
    }
}
