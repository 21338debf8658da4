/// Creates the store in a PostgreSQL database on first use, and checks on every later one
/// that it mirrors this build's journal schema. Creation is one transaction under an
/// advisory lock, so two first pushes at once make it once.
public enum StoreSetup {
    /// pg_advisory_xact_lock key: 'DMAJ'.
    static let lockKey = 0x444D_414A

    /// Makes the store if the database has none; returns the journal schema it holds.
    @discardableResult
    public static func ensure(_ connection: PGConnection, schema: StoreSchema) throws(FleetError) -> Int {
        let expected = schema.layout.schemaVersion
        if let version = try storedVersion(connection) { return try checked(version, connection, expected: expected) }
        try connection.execute("BEGIN")
        do throws(FleetError) {
            try connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
            if let version = try storedVersion(connection) {
                try connection.execute("COMMIT")
                return try checked(version, connection, expected: expected)
            }
            for statement in try schema.tableStatements() { try connection.execute(statement) }
            try createViews(connection, schema)
            try storeNamedQueries(connection, schema)
            try connection.execute("COMMIT")
        } catch {
            if connection.isAlive { try? connection.execute("ROLLBACK") }
            throw error
        }
        return schema.layout.schemaVersion
    }

    /// The journal schema the store mirrors; nil when the database has no store.
    public static func storedVersion(_ connection: PGConnection) throws(FleetError) -> Int? {
        guard try connection.scalar("SELECT to_regclass('\(StoreSchema.name).store_info')") != nil else { return nil }
        return try connection.scalar("SELECT value FROM \(StoreSchema.name).store_info WHERE key = 'journal_schema'").flatMap { Int($0) }
    }

    /// `version` (the store's) when it is `expected` (this build's); else the store is
    /// not one this build can push to.
    static func checked(_ version: Int, _ connection: PGConnection, expected: Int) throws(FleetError) -> Int {
        guard version == expected else {
            throw .notAStore(store: connection.store.description, reason: "the store holds schema \(version) journals and this dmajournal writes schema \(expected): use a store (database) of its own for each")
        }
        return version
    }

    /// For each view: its per-journal function, typed from PostgreSQL's own description of
    /// the translated SQL, then the fleet view over the selected journals.
    private static func createViews(_ connection: PGConnection, _ schema: StoreSchema) throws(FleetError) {
        let name = StoreSchema.name
        for view in schema.viewsInDependencyOrder() {
            let (sql, _) = try schema.scopedSQL(view.body)
            let columns = try connection.describe(sql, parameterTypes: [20])   // 20: int8
            let types = try typeNames(columns, connection)
            let signature = zip(columns, types).map { "\(quotedName($0.name)) \($1)" }.joined(separator: ", ")
            try connection.execute("""
                CREATE FUNCTION \(name).\(view.name)_of(journal_no bigint) RETURNS TABLE (\(signature))
                LANGUAGE plpgsql STABLE PARALLEL SAFE AS $dmajournal$
                BEGIN
                    RETURN QUERY EXECUTE $dmajournal_sql$
                \(sql)
                $dmajournal_sql$ USING journal_no;
                END
                $dmajournal$
                """)
            try connection.execute("""
                CREATE VIEW \(name).\(view.name) AS
                SELECT j.journal, v.* FROM \(name).selected_journals j CROSS JOIN LATERAL \(name).\(view.name)_of(j.id) v
                """)
        }
    }

    private static func typeNames(_ columns: [PGColumn], _ connection: PGConnection) throws(FleetError) -> [String] {
        guard !columns.isEmpty else { return [] }
        let calls = columns.map { column in
            // 705: unknown (an untyped literal): text.
            column.typeOID == 705 ? "'text'" : "format_type(\(column.typeOID), \(column.typeModifier))"
        }
        let result = try connection.query("SELECT " + calls.joined(separator: ", "))
        return (0..<columns.count).map { result.value(row: 0, column: $0) ?? "text" }
    }

    private static func storeNamedQueries(_ connection: PGConnection, _ schema: StoreSchema) throws(FleetError) {
        for query in schema.layout.namedQueries {
            let (sql, parameters) = try schema.scopedSQL(query.sql)
            _ = try connection.query("""
                INSERT INTO \(StoreSchema.name).fleet_named_queries (name, parameters, description, sqlite_sql, postgres_sql)
                VALUES ($1, $2, $3, $4, $5)
                """, [query.name, parameters.joined(separator: ","), query.description, query.sql, sql])
        }
    }
}
