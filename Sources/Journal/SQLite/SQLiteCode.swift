import CSQLite

/// SQLite result codes, by name where this module branches on them.
enum SQLiteCode {
    /// `sqlite3_errstr`: the English text of a result code.
    static func message(_ code: Int32) -> String {
        sqlite3_errstr(code).map { String(cString: $0) } ?? "SQLite error \(code)"
    }

    /// Extended codes whose C macros do not import into Swift (sqlite3.h).
    /// A hot rollback journal that a read-only connection cannot roll back.
    static let readOnlyRollback: Int32 = SQLITE_READONLY | (3 << 8)
    /// The database file was unlinked or replaced under an open connection.
    static let readOnlyMoved: Int32 = SQLITE_READONLY | (4 << 8)

    /// The primary code of an extended result code (`SQLITE_CORRUPT_INDEX` → `SQLITE_CORRUPT`).
    static func primary(_ code: Int32) -> Int32 { code & 0xFF }
}
