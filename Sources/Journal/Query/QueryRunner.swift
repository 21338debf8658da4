import CSQLite

/// Runs a user's SQL against a journal, read-only, and returns typed rows:
///
///     let runner = try QueryRunner(path: "run.db")
///     let result = try runner.run("SELECT * FROM per_device")
///     print(result.formatted(as: .table))
///     let faults = try runner.named("faults-after-unmap")
///     let mapped = try runner.named("mapped-at", parameters: ["iova": .integer(0xffff_f000), "seq": .integer(12)])
///
/// Four locks keep the file's bytes unchanged: the file is opened `SQLITE_OPEN_READONLY`,
/// the connection has `PRAGMA query_only`, an authorizer refuses ATTACH, DETACH and
/// pragma assignments, and a statement SQLite does not call read-only is refused before
/// it runs. Each refusal is a `JournalError.readOnly` naming the statement.
///
/// The SQL surface is narrowed too (issue 21): `fts3_tokenizer()` (whose one-argument
/// form hands out a pointer into the library) and `load_extension()` are switched off
/// with `sqlite3_db_config` and refused by the authorizer, the connection is defensive,
/// and the file's own views may call only functions SQLite marks innocuous
/// (`csqlite_harden_for_queries`). A `QueryWatchdog` stops a query on `--timeout` or
/// Ctrl-C.
public final class QueryRunner {
    /// The journal file as the caller named it.
    public let path: String
    let database: Database
    /// Stops a running statement when its time is up or the user pressed Ctrl-C.
    public let watchdog: QueryWatchdog

    /// Opens `path` read-only for queries, stopped by `watchdog`.
    public init(path: String, watchdog: QueryWatchdog = QueryWatchdog(timeout: nil)) throws(JournalError) {
        let (database, _) = try JournalOpener.openReadOnly(path)
        self.path = path
        self.database = database
        self.watchdog = watchdog
        let code = csqlite_harden_for_queries(database.handle)
        guard code == SQLITE_OK else { throw database.error(code: code) }
        sqlite3_set_authorizer(database.handle, QueryRunner.authorize, nil)
        watchdog.install(on: database)
    }

    /// Runs one statement. `parameters` binds its `:name` parameters.
    public func run(_ sql: String, parameters: [String: SQLValue] = [:]) throws(JournalError) -> QueryResult {
        let rows = try cursor(sql, parameters: parameters)
        var values: [[SQLValue]] = []
        while try rows.next() { values.append(rows.values) }
        return QueryResult(columns: rows.columns, rows: values)
    }

    /// Prepares one statement, with the same checks as `run`, and hands its rows over one
    /// at a time: memory stays flat however many rows the query returns.
    public func cursor(_ sql: String, parameters: [String: SQLValue] = [:]) throws(JournalError) -> QueryCursor {
        let statement = try database.prepare(sql)
        try checkSingleStatement(statement)
        guard statement.isReadOnly else { throw .readOnly(path: path, sql: sql) }
        try bind(parameters, to: statement)
        return QueryCursor(statement, path: path, watchdog: watchdog)
    }

    /// The first column of the first row, as an integer; nil for no row or NULL. For
    /// counts and bounds: `try runner.integer("SELECT count(*) FROM findings")`.
    public func integer(_ sql: String) throws(JournalError) -> Int64? {
        let rows = try cursor(sql)
        return try rows.next() ? rows.integer(at: 0) : nil
    }

    /// Runs the named query `name` from the journal's `named_queries` table.
    public func named(_ name: String, parameters: [String: SQLValue] = [:]) throws(JournalError) -> QueryResult {
        try run(namedQuery(name).sql, parameters: parameters)
    }

    /// The named query `name`'s rows, one at a time.
    public func namedCursor(_ name: String, parameters: [String: SQLValue] = [:]) throws(JournalError) -> QueryCursor {
        try cursor(namedQuery(name).sql, parameters: parameters)
    }

    private func namedQuery(_ name: String) throws(JournalError) -> NamedQuery {
        let queries = try namedQueries()
        guard let query = queries.first(where: { $0.name == name }) else {
            throw .unknownNamedQuery(path: path, name: name, known: queries.map(\.name))
        }
        return query
    }

    /// The named queries this journal carries, by name.
    public func namedQueries() throws(JournalError) -> [NamedQuery] {
        let statement = try database.prepare("SELECT name, parameters, description, sql FROM named_queries ORDER BY name")
        var queries: [NamedQuery] = []
        while try statement.step() {
            let parameters = (statement.text(at: 1) ?? "").split(separator: ",").map(String.init)
            queries.append(NamedQuery(name: statement.text(at: 0) ?? "", parameters: parameters,
                                      description: statement.text(at: 2) ?? "", sql: statement.text(at: 3) ?? ""))
        }
        return queries
    }

    /// Text after the first statement may hold only whitespace and comments.
    private func checkSingleStatement(_ statement: Statement) throws(JournalError) {
        guard statement.remainder.contains(where: { !$0.isWhitespace }) else { return }
        do {
            _ = try database.prepare(statement.remainder)
        } catch .emptyQuery {
            return
        } catch {
            // The second statement does not compile or is refused: still a second statement.
        }
        throw .multipleStatements(path: path, sql: statement.sql)
    }

    /// Binds every `:name` the statement has; a value given for a name it lacks is a
    /// mistake (a typo in `--param`), not something to ignore.
    private func bind(_ parameters: [String: SQLValue], to statement: Statement) throws(JournalError) {
        let names = statement.parameterCount > 0 ? (1...statement.parameterCount).map { statement.parameterName(at: $0) ?? "\($0)" } : []
        if let unknown = parameters.keys.sorted().first(where: { !names.contains($0) }) {
            throw .unknownParameter(path: path, name: unknown, known: names)
        }
        for (offset, name) in names.enumerated() {
            guard let value = parameters[name] else { throw .missingParameter(path: path, name: name) }
            statement.bind(value, at: Int32(offset + 1))
        }
    }

    /// `sqlite3_set_authorizer` callback: ATTACH and DETACH would reach other files, and a
    /// pragma with a value changes the connection (`query_only=0`) or the file
    /// (`user_version=`); `fts3_tokenizer` and `load_extension` reach into the process.
    /// Everything else is left to the read-only checks.
    private static let authorize: @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { _, action, _, argument, _, _ in
        if action == SQLITE_ATTACH || action == SQLITE_DETACH { return SQLITE_DENY }
        return refusesPragmaOrFunction(action, argument) ? SQLITE_DENY : SQLITE_OK
    }

    /// Whether an authorizer call is a pragma with a value, or a call of `fts3_tokenizer`
    /// or `load_extension`: what every read-only connection of ours refuses (this one, and
    /// the many-journal query's, which also lets its own ATTACHes through).
    public static func refusesPragmaOrFunction(_ action: Int32, _ argument: UnsafePointer<CChar>?) -> Bool {
        switch action {
        case SQLITE_PRAGMA: return argument != nil
        case SQLITE_FUNCTION:
            // For SQLITE_FUNCTION the second text argument is the function's name.
            guard let argument else { return false }
            let name = String(cString: argument).lowercased()
            return name == "fts3_tokenizer" || name == "load_extension"
        default: return false
        }
    }
}
