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
public final class QueryRunner {
    public let path: String
    let database: Database

    public init(path: String) throws(JournalError) {
        let (database, _) = try JournalOpener.openReadOnly(path)
        self.path = path
        self.database = database
        sqlite3_set_authorizer(database.handle, QueryRunner.authorize, nil)
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
        return QueryCursor(statement)
    }

    /// The first column of the first row, as an integer; nil for no row or NULL. For
    /// counts and bounds: `try runner.integer("SELECT count(*) FROM findings")`.
    public func integer(_ sql: String) throws(JournalError) -> Int64? {
        let rows = try cursor(sql)
        return try rows.next() ? rows.integer(at: 0) : nil
    }

    /// Runs the named query `name` from the journal's `named_queries` table.
    public func named(_ name: String, parameters: [String: SQLValue] = [:]) throws(JournalError) -> QueryResult {
        let queries = try namedQueries()
        guard let query = queries.first(where: { $0.name == name }) else {
            throw .unknownNamedQuery(path: path, name: name, known: queries.map(\.name))
        }
        return try run(query.sql, parameters: parameters)
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

    private func bind(_ parameters: [String: SQLValue], to statement: Statement) throws(JournalError) {
        guard statement.parameterCount > 0 else { return }
        for index in 1...statement.parameterCount {
            let name = statement.parameterName(at: index) ?? "\(index)"
            guard let value = parameters[name] else { throw .missingParameter(path: path, name: name) }
            statement.bind(value, at: index)
        }
    }

    /// `sqlite3_set_authorizer` callback: ATTACH and DETACH would reach other files, and a
    /// pragma with a value changes the connection (`query_only=0`) or the file
    /// (`user_version=`). Everything else is left to the read-only checks.
    private static let authorize: @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { _, action, _, pragmaValue, _, _ in
        switch action {
        case SQLITE_ATTACH, SQLITE_DETACH: return SQLITE_DENY
        case SQLITE_PRAGMA where pragmaValue != nil: return SQLITE_DENY
        default: return SQLITE_OK
        }
    }
}
