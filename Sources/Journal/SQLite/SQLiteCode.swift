import CSQLite

/// SQLite result codes, by name where this module branches on them.
enum SQLiteCode {
    /// `sqlite3_errstr`: the English text of a result code.
    static func message(_ code: Int32) -> String {
        sqlite3_errstr(code).map { String(cString: $0) } ?? "SQLite error \(code)"
    }

    /// The primary code of an extended result code (`SQLITE_CORRUPT_INDEX` → `SQLITE_CORRUPT`).
    static func primary(_ code: Int32) -> Int32 { code & 0xFF }
}
