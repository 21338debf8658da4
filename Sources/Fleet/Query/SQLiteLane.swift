import CSQLite
import Journal

/// One in-memory SQLite connection that answers a question on one journal file at a time,
/// attached read-only as schema `j0` (`JournalSetQuery` runs two, `TwoLanes`). The same
/// locks as `QueryRunner` keep the files unchanged: `mode=ro` on every file, an
/// authorizer that refuses ATTACH and DETACH (but ours), pragma assignments,
/// `load_extension` and `fts3_tokenizer`, and `sqlite3_stmt_readonly` checked before a
/// statement runs.
final class SQLiteLane {
    /// A journal's answer: its columns and rows.
    struct Answer {
        let columns: [String]
        let rows: [[SQLValue]]
    }

    static let schema = "j0"
    private let handle: OpaquePointer
    /// Whether the authorizer lets ATTACH / DETACH through: only while we attach.
    private let attaching = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init() throws(FleetError) {
        var handle: OpaquePointer?
        // NOMUTEX: a lane's connection is used by one thread at a time.
        guard sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let handle else {
            sqlite3_close(handle)
            throw .journal("cannot open an in-memory SQLite connection")
        }
        self.handle = handle
        attaching.pointee = 0
        sqlite3_set_authorizer(handle, Self.authorize, UnsafeMutableRawPointer(attaching))
    }

    deinit {
        sqlite3_close(handle)
        attaching.deallocate()
    }

    /// Attaches `path`, runs the SQL `sqlFor(schema, path)` gives with its relations
    /// qualified by the journal's schema, and detaches it.
    func answer(path: String, parameters: [String: SQLValue],
                sqlFor: (String, String) throws(FleetError) -> String) throws(FleetError) -> Answer {
        try attach(path)
        defer { detach() }
        let schema = Self.schema
        let sql = try sqlFor(schema, path)
        let qualified = SchemaQualifier(relations: try relationNames(in: schema)).qualify(sql, schema: schema)
        var columns: [String] = []
        var rows: [[SQLValue]] = []
        _ = try stream(qualified, path: path, parameters: parameters) { (announced: [String]) throws(FleetError) in
            columns = announced
        } row: { values in rows.append(values); return true }
        return Answer(columns: columns, rows: rows)
    }

    /// Every row of `sql` (text parameters only), for the lane's own lookups.
    func rows(_ sql: String, _ parameters: [SQLValue] = []) throws(FleetError) -> [[SQLValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .journal(String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in parameters.enumerated() {
            if case .text(let text) = value { sqlite3_bind_text(statement, Int32(index + 1), text, -1, csqlite_transient()) }
        }
        var result: [[SQLValue]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return result }
            guard code == SQLITE_ROW else { throw .journal(String(cString: sqlite3_errmsg(handle))) }
            result.append((0..<sqlite3_column_count(statement)).map { Self.value(statement, $0) })
        }
    }

    // MARK: - Attaching

    private func attach(_ path: String) throws(FleetError) {
        attaching.pointee = 1
        defer { attaching.pointee = 0 }
        _ = try rows("ATTACH DATABASE ? AS \(Self.schema)", [.text(Self.readOnlyURI(path))])
    }

    private func detach() {
        attaching.pointee = 1
        defer { attaching.pointee = 0 }
        sqlite3_exec(handle, "DETACH DATABASE \(Self.schema)", nil, nil, nil)
    }

    /// `file:PATH?mode=ro`, the path percent-encoded where a URI needs it.
    static func readOnlyURI(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "/._-~".contains(character) {
                encoded.append(character)
            } else {
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return "file:\(encoded)?mode=ro"
    }

    private func relationNames(in schema: String) throws(FleetError) -> Set<String> {
        Set(try rows("SELECT name FROM \(schema).sqlite_schema WHERE type IN ('table', 'view')").compactMap { row -> String? in
            if case .text(let name) = row[0] { return name } else { return nil }
        })
    }

    // MARK: - Statements

    /// Runs `sql`, announcing its columns and handing over its rows; false when `row`
    /// asked to stop.
    private func stream(_ sql: String, path: String, parameters: [String: SQLValue],
                        columns: ([String]) throws(FleetError) -> Void, row: ([SQLValue]) -> Bool) throws(FleetError) -> Bool {
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, &tail) == SQLITE_OK, let statement else {
            throw .journal("\(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        if let tail, String(cString: tail).contains(where: { !$0.isWhitespace && $0 != ";" }) {
            throw .journal("\(path): only one statement can be run at a time")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else { throw .journal("\(path): the query would write; journals are opened read-only") }
        try bind(parameters, to: statement, path: path)
        let count = sqlite3_column_count(statement)
        try columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return true }
            guard code == SQLITE_ROW else { throw .journal("\(path): \(String(cString: sqlite3_errmsg(handle)))") }
            if !row((0..<count).map { Self.value(statement, $0) }) { return false }
        }
    }

    private func bind(_ parameters: [String: SQLValue], to statement: OpaquePointer, path: String) throws(FleetError) {
        let count = sqlite3_bind_parameter_count(statement)
        var names: [String] = []
        for index in 0..<count {
            let name = sqlite3_bind_parameter_name(statement, index + 1).map { String(String(cString: $0).dropFirst()) } ?? "\(index + 1)"
            names.append(name)
            guard let value = parameters[name] else { throw .parameter("the query needs --param \(name)=VALUE") }
            switch value {
            case .null: sqlite3_bind_null(statement, index + 1)
            case .integer(let number): sqlite3_bind_int64(statement, index + 1, number)
            case .real(let number): sqlite3_bind_double(statement, index + 1, number)
            case .text(let text): sqlite3_bind_text(statement, index + 1, text, -1, csqlite_transient())
            case .blob(let bytes): sqlite3_bind_blob(statement, index + 1, bytes, Int32(bytes.count), csqlite_transient())
            }
        }
        if let unknown = parameters.keys.sorted().first(where: { !names.contains($0) }) {
            throw .parameter("--param \(unknown): the query has no :\(unknown)")
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    /// ATTACH and DETACH only while `attaching` says so; no pragma assignments, no
    /// `load_extension` or `fts3_tokenizer` (issue 21's hardening, as `QueryRunner`).
    private static let authorize: @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { flag, action, _, argument, _, _ in
        if action == SQLITE_ATTACH || action == SQLITE_DETACH {
            return flag?.assumingMemoryBound(to: Int32.self).pointee == 1 ? SQLITE_OK : SQLITE_DENY
        }
        return QueryRunner.refusesPragmaOrFunction(action, argument) ? SQLITE_DENY : SQLITE_OK
    }
}
