import CSQLite
import Journal

/// Streams one SQLite table into a PostgreSQL table with binary COPY: rows are read with
/// the C API in the table's key order and each value is written in the type the store
/// declared for its column (`JournalLayout.Column.storeType`), 1 MiB of COPY data at a
/// time. A value of another type than its column's (SQLite lets any column hold any
/// value) stops the push with the table, row and column named.
struct TableCopier {
    let table: JournalLayout.Table
    let file: SQLiteFile
    let connection: PGConnection

    func copy(into target: String, buffer: inout CopyBuffer) throws(FleetError) -> (rows: Int, bytes: Int) {
        let columns = table.columns.map { quotedName($0.name) }.joined(separator: ", ")
        let types = table.columns.map(\.storeType)
        let what = "COPY into \(target)"
        try connection.beginCopy("COPY \(target) (\(columns)) FROM STDIN (FORMAT binary, FREEZE)")
        buffer.removeAll()
        buffer.appendHeader()
        var rows = 0
        var bytes = 0
        try file.withStatement("SELECT \(columns) FROM \(quotedName(table.name))") { (statement) throws(FleetError) in
            while try file.step(statement) {
                buffer.beginRow(fields: types.count)
                for (index, type) in types.enumerated() {
                    try append(statement, column: Int32(index), as: type, row: rows, to: &buffer)
                }
                rows += 1
                if buffer.isFull {
                    bytes += buffer.count
                    try connection.sendCopyData(buffer.bytes, copying: what)
                    buffer.removeAll()
                }
            }
        }
        buffer.appendTrailer()
        bytes += buffer.count
        try connection.sendCopyData(buffer.bytes, copying: what)
        try connection.endCopy(copying: what)
        return (rows, bytes)
    }

    /// Each value is read through one `sqlite3_column_value`, then `sqlite3_value_*`:
    /// every `sqlite3_column_*` call finds the column and checks the connection's error
    /// state again, and a type call then a value call did that twice per value (0.10 G of
    /// a 100 K-op push's 0.95 G client instructions were `sqlite3_column_type` alone,
    /// callgrind). The value is the statement's "unprotected" one, which SQLite's
    /// `sqlite3_value_*` may read when no mutex guards the connection: `SQLiteFile` opens
    /// it NOMUTEX, one thread using it.
    private func append(_ statement: OpaquePointer, column: Int32, as type: JournalLayout.StoreType, row: Int,
                        to buffer: inout CopyBuffer) throws(FleetError) {
        let value = sqlite3_column_value(statement, column)
        let stored = sqlite3_value_type(value)
        if stored == SQLITE_NULL { buffer.appendNull(); return }
        switch (type, stored) {
        case (.int8, SQLITE_INTEGER):
            buffer.appendInt8Field(sqlite3_value_int64(value))
        case (.float8, SQLITE_INTEGER), (.float8, SQLITE_FLOAT):
            buffer.appendFloat8Field(sqlite3_value_double(value))
        case (.text, _), (.bytea, SQLITE_BLOB), (.bytea, SQLITE_TEXT):
            // For a text column SQLite converts a number to its text; blobs go as they are.
            let pointer = type == .text ? UnsafeRawPointer(sqlite3_value_text(value)) : sqlite3_value_blob(value)
            buffer.appendBytesField(pointer, count: Int(sqlite3_value_bytes(value)))
        default:
            let name = table.columns[Int(column)].name
            throw .unpushable(path: file.path, reason: "table \(table.name), row \(row + 1): column \(name) holds a value of SQLite type \(stored), not \(type.rawValue)")
        }
    }
}
