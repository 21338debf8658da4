import CSQLite

/// A prepared statement. Binding is by 1-based parameter index, reading by 0-based
/// column index, as in the C API. Unsigned 64-bit values are bound and read by bit
/// pattern (see schema/001-journal.sql).
///
/// Binding traps on a bad index or type: that is a bug in this module's SQL, never a
/// user's mistake. Stepping throws, because the database can fail (disk full, corrupt).
final class Statement {
    let handle: OpaquePointer
    /// Strong: a cursor's statements keep their connection open after its reader is gone.
    let database: Database
    let sql: String
    /// Text after the first statement, when the SQL held more than one.
    let remainder: String

    init(handle: OpaquePointer, database: Database, sql: String, remainder: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
        self.remainder = remainder
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: binding

    func bind(_ value: Int64?, at index: Int32) {
        let code = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        checkBind(code, index)
    }

    func bind(_ value: UInt64?, at index: Int32) {
        bind(value.map { Int64(bitPattern: $0) }, at: index)
    }

    func bind(_ value: Int?, at index: Int32) {
        bind(value.map { Int64($0) }, at: index)
    }

    func bind(_ value: Bool?, at index: Int32) {
        bind(value.map { Int64($0 ? 1 : 0) }, at: index)
    }

    func bind(_ text: String?, at index: Int32) {
        guard var text else { return checkBind(sqlite3_bind_null(handle, index), index) }
        // A native Swift string is contiguous UTF-8; the transient destructor makes
        // SQLite copy it, so no pointer outlives this call.
        let code = text.withUTF8 { bytes -> Int32 in
            // An empty buffer may have no base address, and a NULL pointer binds NULL.
            guard !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, csqlite_transient()) }
            return bytes.withMemoryRebound(to: CChar.self) { characters in
                sqlite3_bind_text(handle, index, characters.baseAddress, Int32(characters.count), csqlite_transient())
            }
        }
        checkBind(code, index)
    }

    /// Binds UTF-8 text without copying it (SQLITE_STATIC), or NULL for nil. The bytes must
    /// stay valid until the statement has been stepped; the caller binds and steps inside
    /// one `withUTF8`-style scope, and binds the parameter again before the next step.
    func bind(borrowingUTF8 text: UnsafeBufferPointer<UInt8>?, at index: Int32) {
        guard let text else { return checkBind(sqlite3_bind_null(handle, index), index) }
        // An empty buffer may have no base address, and a NULL pointer binds NULL.
        guard let bytes = text.baseAddress, !text.isEmpty else { return bind("", at: index) }
        let code = bytes.withMemoryRebound(to: CChar.self, capacity: text.count) { characters in
            sqlite3_bind_text(handle, index, characters, Int32(text.count), nil)
        }
        checkBind(code, index)
    }

    func bind(_ value: SQLValue, at index: Int32) {
        switch value {
        case .null: checkBind(sqlite3_bind_null(handle, index), index)
        case .integer(let integer): bind(integer, at: index)
        case .real(let real): checkBind(sqlite3_bind_double(handle, index, real), index)
        case .text(let text): bind(text, at: index)
        case .blob(let bytes):
            let code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) }
            checkBind(code, index)
        }
    }

    private func checkBind(_ code: Int32, _ index: Int32) {
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(sql): \(SQLiteCode.message(code))")
    }

    /// The 1-based index of `:name`, or nil when the SQL has no such parameter.
    func parameterIndex(named name: String) -> Int32? {
        let index = sqlite3_bind_parameter_index(handle, ":" + name)
        return index == 0 ? nil : index
    }

    var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    /// `:name` of parameter `index`, without the colon.
    func parameterName(at index: Int32) -> String? {
        sqlite3_bind_parameter_name(handle, index).map { String(String(cString: $0).dropFirst()) }
    }

    // MARK: stepping

    /// Advances to the next row: true when there is one, false when done.
    @discardableResult
    func step() throws(JournalError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let error = database.error(code: code, sql: sql)
        sqlite3_reset(handle)
        throw error
    }

    /// Runs a statement that returns no rows, then resets it for the next bindings.
    func execute() throws(JournalError) {
        defer { sqlite3_reset(handle) }
        try step()
    }

    func reset() { sqlite3_reset(handle) }

    /// `sqlite3_stmt_readonly`: the statement makes no direct change to the database file.
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    // MARK: reading

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func columnName(at index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    /// The declared type of a result column that reads a table column directly (through
    /// views too); nil for an expression.
    func declaredType(at index: Int32) -> String? {
        sqlite3_column_decltype(handle, index).map { String(cString: $0) }
    }

    func isNull(at index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    func int64(at index: Int32) -> Int64? {
        isNull(at: index) ? nil : sqlite3_column_int64(handle, index)
    }

    func uint64(at index: Int32) -> UInt64? {
        int64(at: index).map { UInt64(bitPattern: $0) }
    }

    func int(at index: Int32) -> Int? { int64(at: index).map { Int($0) } }

    func text(at index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT: return .text(text(at: index) ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}
