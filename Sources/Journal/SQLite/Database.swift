import CSQLite

/// One SQLite connection, through the C API. Errors come back as `JournalError`s that name
/// the journal file; SQLite's own message is kept in them.
///
/// Not thread-safe: one owner uses it at a time (SQLite is built serialized here, but the
/// prepared statements this type hands out are not meant to be shared).
final class Database {
    /// How long a connection waits for another one's lock before SQLITE_BUSY: a reader
    /// opening while `snapshot` commits, two `snapshot` commands at once. Long enough for
    /// any one transaction the tool makes; a recording's final checkpoint waits for
    /// readers in a loop of its own (`JournalWriter+Sealing`).
    static let busyTimeoutMilliseconds: Int32 = 10_000

    let path: String
    let handle: OpaquePointer
    /// The writer's claim on the file, released after the connection closes (JournalLock).
    var lock: JournalLock?

    /// Opens `path` with `sqlite3_open_v2` flags (`SQLITE_OPEN_READONLY`,
    /// `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`).
    init(path: String, flags: Int32) throws(JournalError) {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard let connection else { throw .cannotOpen(path: path, message: SQLiteCode.message(code)) }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_close_v2(connection)
            throw .cannotOpen(path: path, message: message)
        }
        self.path = path
        self.handle = connection
        // Extended codes tell SQLITE_READONLY_* and SQLITE_CORRUPT_* apart in errors.
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, Self.busyTimeoutMilliseconds)
    }

    deinit {
        // close_v2: statements a cursor still holds keep the connection alive until
        // they are finalized, instead of failing with SQLITE_BUSY. (They hold this object,
        // so by now there are none.) `lock` is released after this body: after the close.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (schema scripts, pragmas, BEGIN).
    func execute(_ sql: String) throws(JournalError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code != SQLITE_OK else { return }
        let text = message.map { String(cString: $0) } ?? SQLiteCode.message(code)
        sqlite3_free(message)
        throw error(code: code, message: text, sql: sql)
    }

    /// Compiles the first statement of `sql`.
    func prepare(_ sql: String) throws(JournalError) -> Statement {
        var statement: OpaquePointer?
        // The tail points into the C string, so it is read before the string goes away.
        let (code, remainder) = sql.withCString { text -> (Int32, String) in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            return (code, tail.map { String(cString: $0) } ?? "")
        }
        guard code == SQLITE_OK else { throw error(code: code, sql: sql) }
        guard let statement else { throw .emptyQuery(path: path) }
        return Statement(handle: statement, database: self, sql: sql, remainder: remainder)
    }

    /// The names of `table`'s columns (`PRAGMA table_info`): what a journal written by an
    /// older schema has.
    func columnNames(of table: String) throws(JournalError) -> Set<String> {
        let statement = try prepare("SELECT name FROM pragma_table_info('\(table)')")
        var names: Set<String> = []
        while try statement.step() { if let name = statement.text(at: 0) { names.insert(name) } }
        return names
    }

    /// The integer a pragma (or any one-value query) returns; nil for no row or NULL.
    func integer(_ sql: String) throws(JournalError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.int64(at: 0)
    }

    /// The text a pragma (or any one-value query) returns; nil for no row or NULL.
    func text(_ sql: String) throws(JournalError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(at: 0)
    }

    /// One `SQLITE_CHECKPOINT_TRUNCATE` attempt that does not wait: true when every frame
    /// of the WAL is in the database file and the WAL is empty. A reader still using an
    /// older snapshot makes it false (SQLITE_BUSY); it never throws for that.
    func checkpointWithoutWaiting() throws(JournalError) -> Bool {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds) }
        var frames: Int32 = 0, copied: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &frames, &copied)
        if code == SQLITE_BUSY || code == SQLITE_LOCKED { return false }
        guard code == SQLITE_OK else { throw error(code: code) }
        return frames <= 0 || copied == frames
    }

    /// The error for a failed call, classified by SQLite's primary result code.
    func error(code: Int32, message: String? = nil, sql: String? = nil) -> JournalError {
        let text = message ?? String(cString: sqlite3_errmsg(handle))
        return JournalError(sqliteCode: code, message: text, path: path, sql: sql)
    }
}
