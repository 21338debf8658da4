import Testing
@testable import Journal

/// Issue 17 item 3, the type trap: one column name, one type, in every view.
@Suite struct QueryTypesTests {
    /// Every address-like column of every view holds integers (or NULL), never hex text,
    /// on a journal that exercises every op kind and a snapshot.
    @Test func everyAddressColumnOfEveryViewIsAnInteger() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.docsExample, to: path, snapshots: Scenarios.docsSnapshots)
        let runner = try QueryRunner(path: path)
        let views = try runner.run("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name").rows.compactMap { row -> String? in
            if case .text(let name) = row[0] { return name }
            return nil
        }
        var checked = 0
        for view in views {
            let columns = try runner.cursor("SELECT * FROM \(view) LIMIT 0").columns.filter(AddressColumns.contains)
            for column in columns {
                let types = try runner.run("SELECT DISTINCT typeof(\(column)) FROM \(view)").rows.map { $0[0] }
                #expect(types.allSatisfy { $0 == .text("integer") || $0 == .text("null") }, "\(view).\(column): \(types)")
                checked += 1
            }
        }
        #expect(checked >= 15)
    }

    /// `WHERE iova > X` means what it says in the readable view: the same rows as the
    /// integer-only mapping_spans, and not every row.
    @Test func addressComparisonsAgreeAcrossViews() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.docsExample, to: path)
        let runner = try QueryRunner(path: path)
        let readable = try runner.integer("SELECT count(*) FROM mapping_lifetimes WHERE iova > 0xffffd000")
        let raw = try runner.integer("SELECT count(*) FROM mapping_spans WHERE iova > 0xffffd000")
        let all = try runner.integer("SELECT count(*) FROM mapping_lifetimes")
        #expect(readable == raw)
        #expect(readable == 3)
        #expect(all == 5)
        #expect(try runner.integer("SELECT count(*) FROM op_log WHERE out_address = 0xffffc000") == 4)
        #expect(try runner.integer("SELECT count(*) FROM fault_history WHERE fault_address = 0x10000") == 1)
    }

    /// The names match their views: mapping-lifetimes reads mapping_lifetimes,
    /// state-lifetimes reads state_lifetimes, and no view is called plain `lifetimes`.
    @Test func lifetimeNamesMatchTheirViews() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.docsExample, to: path)
        let runner = try QueryRunner(path: path)
        let named = try runner.namedQueries()
        #expect(named.first { $0.name == "mapping-lifetimes" }?.sql.contains("FROM mapping_lifetimes") == true)
        #expect(named.first { $0.name == "state-lifetimes" }?.sql.contains("FROM state_lifetimes") == true)
        #expect(try runner.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'lifetimes'") == 0)
        let error = try #require(throws: JournalError.self) { try runner.named("lifetimes") }
        #expect(error.description.contains("mapping-lifetimes"))
    }

    /// `--param` binds one's own SQL; a parameter the SQL lacks is an error, not ignored.
    @Test func parametersBindOwnSQL() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.docsExample, to: path)
        let runner = try QueryRunner(path: path)
        let rows = try runner.run("SELECT mapped_seq FROM mapping_lifetimes WHERE iova >= :lo ORDER BY 1",
                                  parameters: ["lo": SQLValue(parsing: "0xffffe000")])
        #expect(rows.rows == [[.integer(7)], [.integer(18)], [.integer(23)]])
        #expect(throws: JournalError.unknownParameter(path: path, name: "hi", known: ["lo"])) {
            try runner.run("SELECT :lo", parameters: ["lo": .integer(1), "hi": .integer(2)])
        }
    }

    /// The SQL surface: fts3_tokenizer (whose one-argument form leaks a library pointer)
    /// and load_extension are refused.
    @Test(arguments: ["SELECT fts3_tokenizer('simple')", "SELECT load_extension('libc.so.6')"])
    func processReachingFunctionsAreRefused(_ sql: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.machine, to: path)
        let runner = try QueryRunner(path: path)
        #expect(throws: JournalError.self) { try runner.run(sql) }
    }

    /// A watchdog with a deadline stops a query that would run for minutes, inside SQLite.
    @Test func timeoutStopsALongQuery() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.machine, to: path)
        let runner = try QueryRunner(path: path, watchdog: QueryWatchdog(timeout: 0.2))
        let endless = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        #expect(throws: JournalError.queryStopped(path: path, reason: .timeout(seconds: 0.2))) { try runner.run(endless) }
    }

    /// --tables and --schema: the views are listed, with their columns' declared types.
    @Test func tablesAndSchemaListViewsAndColumnTypes() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("types.db")
        try Recording.record(Scenarios.machine, to: path)
        let runner = try QueryRunner(path: path)
        let tables = try runner.tables().rows
        #expect(tables.contains([.text("state_lifetimes"), .text("view")]))
        #expect(tables.contains([.text("ops"), .text("table")]))
        let schema = try runner.schema(of: "op_log").rows
        #expect(schema.contains([.text("op_log"), .text("view"), .integer(8), .text("address"), .text("INTEGER")]))
        #expect(throws: JournalError.self) { try runner.schema(of: "nope") }
    }
}
