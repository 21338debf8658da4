/// The PostgreSQL side of a fleet store, made from a `JournalLayout`:
///
/// - `journals`: one row per pushed journal (its id, host, workload, seed, machine, tool
///   version, command line, op count), keyed by `id`, the store's number for it.
/// - every journal table (`ops`, `mapped_ranges`, `events`, …) with `journal_no` (the store's number for the journal, `journals.id`) in
///   front, PARTITIONED BY LIST (journal_no): each journal is a partition of its own, so
///   a push loads plain tables and attaches them at the end (`JournalPusher`), a query on
///   one journal reads only its partitions, and the store does not slow down as it grows.
///   The primary keys lead with journal_no; SQLite's secondary indexes are declared on the
///   parents, so every partition gets them when it is attached.
/// - for each view V of the journal, `V_of(journal_no)`: the view's SQL, translated
///   (`PostgresDialect`) and scoped to one journal (`JournalScope`), run by EXECUTE with
///   the journal's number bound, so each call is planned for that journal's partitions
///   alone (a plain SQL function would be planned over every journal's, or inlined into
///   the view below and joined across all journals); and the view V itself over the
///   selected journals, with a `journal` column in front.
/// - `selected_journals`: `journals` narrowed to the ids in the setting
///   `dmajournal.journals` (what `query --journal/--where` sets), all when it is empty.
/// - `fleet_named_queries`: the named queries, in both dialects.
/// - `store_info`: the journal schema version the store mirrors.
public struct StoreSchema {
    public static let name = "dmajournal"
    public let layout: JournalLayout

    public init(layout: JournalLayout) { self.layout = layout }

    /// The scope with every view's body in PostgreSQL's dialect.
    func scope() throws(FleetError) -> JournalScope {
        var views: [String: String] = [:]
        for view in layout.views { views[view.name] = try PostgresDialect().translate(view.body) }
        return JournalScope(schema: Self.name, tables: tables, views: views)
    }

    private var tables: [String: [String]] {
        Dictionary(uniqueKeysWithValues: layout.tables.map { ($0.name, $0.columns.map(\.name)) })
    }

    /// The statements that make the tables, before the views' functions.
    func tableStatements() throws(FleetError) -> [String] {
        let schema = Self.name
        var statements = [
            "CREATE SCHEMA \(schema)",
            "CREATE TABLE \(schema).store_info (key text PRIMARY KEY, value text NOT NULL)",
            "INSERT INTO \(schema).store_info VALUES ('journal_schema', '\(layout.schemaVersion)')",
            """
            CREATE TABLE \(schema).journals (
                id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                journal        text COLLATE "C" NOT NULL UNIQUE,   -- run.journal_id: the id the journal carries
                host           text COLLATE "C",
                workload       text COLLATE "C",                   -- the built-in workload's name (nvme, …) or the script's path
                source         text COLLATE "C",                   -- run.source as the journal has it ("workload nvme", a path, an import)
                seed           bigint,
                arch           text COLLATE "C",
                kernel         text COLLATE "C",
                cpus           bigint,
                hz             bigint,
                tool_version   text COLLATE "C",
                schema_version bigint NOT NULL,
                command_line   text COLLATE "C",
                created_at     text COLLATE "C",
                op_count       bigint NOT NULL,
                last_seq       bigint,
                file           text COLLATE "C",                   -- the file name it was pushed from
                pushed_at      timestamptz NOT NULL DEFAULT now(),
                pushed_by      text COLLATE "C" NOT NULL DEFAULT current_user
            )
            """,
            """
            CREATE VIEW \(schema).selected_journals AS
            SELECT * FROM \(schema).journals
             WHERE coalesce(current_setting('dmajournal.journals', true), '') = ''
                OR id = ANY (string_to_array(current_setting('dmajournal.journals', true), ',')::bigint[])
            """,
            """
            CREATE TABLE \(schema).fleet_named_queries (
                name text COLLATE "C" PRIMARY KEY, parameters text NOT NULL, description text NOT NULL,
                sqlite_sql text NOT NULL, postgres_sql text NOT NULL)
            """,
        ]
        for table in layout.tables {
            let columns = ["journal_no bigint NOT NULL"] + table.columns.map { column in
                "\(quotedName(column.name)) \(Self.typeName(column.storeType))\(column.notNull ? " NOT NULL" : "")"
            }
            let key = table.primaryKey.isEmpty ? "" : ",\n    PRIMARY KEY (journal_no, \(table.primaryKey.map(quotedName).joined(separator: ", ")))"
            statements.append("CREATE TABLE \(schema).\(table.name) (\n    \(columns.joined(separator: ",\n    "))\(key)\n) PARTITION BY LIST (journal_no)")
        }
        for index in layout.indexes {
            statements.append(try indexStatement(index))
        }
        return statements
    }

    static func typeName(_ type: JournalLayout.StoreType) -> String {
        switch type {
        case .int8: return "bigint"
        case .text: return "text COLLATE \"C\""
        case .bytea: return "bytea"
        case .float8: return "double precision"
        }
    }

    /// SQLite's `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (…) [WHERE …]` on the
    /// partitioned parent.
    private func indexStatement(_ index: JournalLayout.Index) throws(FleetError) -> String {
        let tokens = SQLTokenizer.tokens(index.sql)
        guard let on = tokens.firstIndex(where: { $0.isKeyword("ON") }),
              let tableToken = tokens[(on + 1)...].firstIndex(where: \.isSignificant) else {
            throw .untranslatable(what: "index \(index.name)", reason: "no ON clause")
        }
        let unique = tokens[..<on].contains { $0.isKeyword("UNIQUE") } ? "UNIQUE " : ""
        var rest = tokens[(tableToken + 1)...].map(\.text).joined()
        rest = try PostgresDialect().translate(rest)
        // A unique index on a partitioned table must hold the partition key.
        if !unique.isEmpty, let open = rest.firstIndex(of: "(") {
            rest.insert(contentsOf: "journal_no, ", at: rest.index(after: open))
        }
        return "CREATE \(unique)INDEX \(index.name) ON \(Self.name).\(index.table)\(rest)"
    }

    /// The views in an order where each comes after the views it reads.
    func viewsInDependencyOrder() -> [JournalLayout.View] {
        let scope = JournalScope(schema: Self.name, tables: tables,
                                 views: Dictionary(uniqueKeysWithValues: layout.views.map { ($0.name, $0.body) }))
        var done: Set<String> = []
        var ordered: [JournalLayout.View] = []
        var remaining = layout.views
        while !remaining.isEmpty {
            let ready = remaining.filter { scope.viewsNamed(in: $0.body).subtracting([$0.name]).isSubset(of: done) }
            let next = ready.isEmpty ? remaining : ready   // a cycle cannot be created in SQLite
            for view in next {
                ordered.append(view)
                done.insert(view.name)
            }
            remaining.removeAll { done.contains($0.name) }
        }
        return ordered
    }

    /// The PostgreSQL text of a journal view or named query, for the journal in `$1`
    /// (named parameters become `$2`, `$3`, … in order of first appearance).
    public func scopedSQL(_ sqliteSQL: String) throws(FleetError) -> (sql: String, parameters: [String]) {
        let parameters = PostgresDialect.parameterNames(in: sqliteSQL)
        let numbers = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1, $0 + 2) })
        let translated = try PostgresDialect(parameterNumbers: numbers).translate(sqliteSQL)
        return (try scope().scoped(translated), parameters)
    }
}
