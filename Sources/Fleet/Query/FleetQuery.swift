import Journal

/// Questions to a store, read-only (`dmajournal query --db postgresql://…`): the journal
/// views with a `journal` column in front, the named queries run journal by journal, and
/// one's own SQL. Everything runs in one READ ONLY transaction (a write fails there even
/// for a role that may write; docs/fleet.md shows a role that may not), with
/// `search_path` on the store's schema, and `--journal` / `--where` narrow the journals
/// every view and named query sees (`selected_journals`).
///
///     let fleet = try FleetQuery(connection: try PGConnection(url))
///     try fleet.select(journal: nil, where: "workload = 'nvme'")
///     try fleet.runNamed("per-device", parameters: [:], into: handler)
public final class FleetQuery {
    public let connection: PGConnection
    /// The store's numbers of the selected journals, with their ids, in push order.
    public private(set) var selected: [(storeID: Int64, journal: String)] = []
    private let timeoutSeconds: Double?
    private var lane: PGConnection?

    public init(connection: PGConnection, timeoutSeconds: Double? = nil) throws(FleetError) {
        self.connection = connection
        self.timeoutSeconds = timeoutSeconds
        guard try StoreSetup.storedVersion(connection) != nil else {
            throw .notAStore(store: connection.store.description, reason: "no dmajournal store here (schema \(StoreSchema.name)): `dmajournal push JOURNAL --to URL` makes one")
        }
        try Self.begin(connection, timeoutSeconds: timeoutSeconds)
        try select(journal: nil, where: nil)
    }

    /// The session every question runs in: one READ ONLY transaction, the store's schema
    /// first on the search path, no JIT, the statement timeout asked for.
    private static func begin(_ connection: PGConnection, timeoutSeconds: Double?) throws(FleetError) {
        try connection.execute("BEGIN READ ONLY")
        try connection.execute("SET LOCAL search_path = \(StoreSchema.name), public")
        // No JIT: a journal's freshly attached partitions have no statistics until
        // autovacuum analyzes them, the planner's row estimates for the views' joins run to
        // billions, and JIT then compiles each query for seconds it never wins back
        // (reuse-distance on one 100 K-op journal: 3.0 of its 4.2 s were JIT).
        try connection.execute("SET LOCAL jit = off")
        if let timeoutSeconds {
            try connection.execute("SET LOCAL statement_timeout = \(Int((timeoutSeconds * 1000).rounded(.up)))")
        }
    }

    /// The second lane's connection for many-journal named queries (`TwoLanes`), made on
    /// first use; nil when the server would not give one (one lane then).
    private func secondLane() -> PGConnection? {
        if let lane { return lane }
        guard let made = try? PGConnection(connection.store), (try? Self.begin(made, timeoutSeconds: timeoutSeconds)) != nil else { return nil }
        lane = made
        return made
    }

    deinit {
        if connection.isAlive { try? connection.execute("ROLLBACK") }
        if let lane, lane.isAlive { try? lane.execute("ROLLBACK") }
    }

    /// Narrows the journals to the one whose id is `journal` (or starts with it) and to
    /// those `whereSQL` (a condition on `journals`' columns) keeps; nil for all.
    public func select(journal: String?, where whereSQL: String?) throws(FleetError) {
        var conditions: [String] = []
        var parameters: [String?] = []
        if let journal {
            parameters.append(journal)
            conditions.append("(journal = $1 OR journal LIKE $1 || '%')")
        }
        if let whereSQL { conditions.append("(\(whereSQL))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.query("SELECT id, journal FROM \(StoreSchema.name).journals\(filter) ORDER BY id", parameters).rows
        selected = rows.compactMap { row in row[0].flatMap { Int64($0) }.map { ($0, row[1] ?? "") } }
        let store = connection.store.description
        if let journal, selected.isEmpty { throw .selection(store: store, reason: "no journal \(journal) in the store") }
        if let journal, whereSQL == nil, selected.count > 1 {
            throw .selection(store: store, reason: "\(journal) is the start of \(selected.count) journal ids: give more of it")
        }
        if whereSQL != nil, selected.isEmpty { throw .selection(store: store, reason: "no journal matches --where \(whereSQL!)") }
        let list = conditions.isEmpty ? "" : selected.map { String($0.storeID) }.joined(separator: ",")
        _ = try connection.query("SELECT set_config('dmajournal.journals', $1, true)", [list])
    }

    /// The store's named queries.
    public func namedQueries() throws(FleetError) -> [NamedQuery] {
        try connection.query("SELECT name, parameters, description, sqlite_sql FROM \(StoreSchema.name).fleet_named_queries ORDER BY name").rows.map { row in
            NamedQuery(name: row[0] ?? "", parameters: (row[1] ?? "").split(separator: ",").map(String.init),
                       description: row[2] ?? "", sql: row[3] ?? "")
        }
    }

    /// Runs the named query over each selected journal in turn, each row led by its journal.
    public func runNamed(_ name: String, parameters: [String: SQLValue], into handler: RowHandler) throws(FleetError) {
        let found = try connection.query("SELECT parameters, postgres_sql FROM \(StoreSchema.name).fleet_named_queries WHERE name = $1", [name])
        guard found.rowCount == 1, let sql = found.value(row: 0, column: 1) else {
            throw .unknownNamedQuery(name: name, known: try namedQueries().map(\.name))
        }
        let names = (found.value(row: 0, column: 0) ?? "").split(separator: ",").map(String.init)
        let values = try Self.values(for: names, from: parameters)
        let columns = try connection.describe(sql, parameterTypes: [20] + names.map { _ in 0 })
        handler.columns(["journal"] + columns.map(\.name))
        if selected.count > 1, let second = secondLane() {
            // Journal by journal on two connections at once, rows in journal order.
            let lanes = [connection, second]
            let selected = selected
            try TwoLanes.run(count: selected.count) { (index, lane) throws(FleetError) in
                try lanes[lane].query(sql, [String(selected[index].storeID)] + values).rows.map { row in
                    zip(row, columns).map { PGValue.value($0, typeOID: $1.typeOID) }
                }
            } emit: { index, rows in
                rows.allSatisfy { handler.row([.text(selected[index].journal)] + $0) }
            }
            return
        }
        for journal in selected {
            var wanted = true
            try connection.streamRows(sql, [String(journal.storeID)] + values, columns: { _ in }) { row in
                wanted = handler.row([.text(journal.journal)] + zip(row.values, columns).map { PGValue.value($0, typeOID: $1.typeOID) })
                return wanted
            }
            if !wanted { return }
        }
    }

    /// Runs one's own SQL (PostgreSQL's dialect; `:name` parameters allowed) as it is.
    public func run(_ sql: String, parameters: [String: SQLValue], into handler: RowHandler) throws(FleetError) {
        let names = PostgresDialect.parameterNames(in: sql)
        let numbered = Self.numberingParameters(sql, names)
        let values = try Self.values(for: names, from: parameters)
        var columns: [PGColumn] = []
        try connection.streamRows(numbered, values, columns: { announced in
            columns = announced
            handler.columns(announced.map(\.name))
        }, row: { row in
            handler.row(zip(row.values, columns).map { PGValue.value($0, typeOID: $1.typeOID) })
        })
    }

    private static func values(for names: [String], from parameters: [String: SQLValue]) throws(FleetError) -> [String?] {
        if let unknown = parameters.keys.sorted().first(where: { !names.contains($0) }) {
            throw .parameter("--param \(unknown): the query has no :\(unknown) (it has: \(names.isEmpty ? "none" : names.map { ":" + $0 }.joined(separator: ", ")))")
        }
        var values: [String?] = []
        for name in names {
            guard let value = parameters[name] else { throw .parameter("the query needs --param \(name)=VALUE") }
            values.append(PGValue.parameter(value))
        }
        return values
    }

    /// `:name` → `$n`, leaving `::type` casts and everything else as it is.
    private static func numberingParameters(_ sql: String, _ names: [String]) -> String {
        SQLTokenizer.tokens(sql).map { token in
            guard token.kind == .parameter, token.text.hasPrefix(":"),
                  let index = names.firstIndex(of: String(token.text.dropFirst())) else { return token.text }
            return "$\(index + 1)"
        }.joined()
    }
}
