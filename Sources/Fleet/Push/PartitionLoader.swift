/// Makes and fills, on one connection, the plain tables that become one journal's
/// partitions (`ops_j7` for store id 7): made with the parent's columns and a CHECK on
/// `journal_no` (so ATTACH need not scan them to prove they fit), loaded with binary COPY,
/// and, for tables loaded over the helper connection (`JournalPusher`), given the
/// parent's keys and indexes, which ATTACH then adopts instead of building them.
struct PartitionLoader {
    let connection: PGConnection
    let storeID: Int64

    static func partition(_ table: String, storeID: Int64) -> String {
        "\(StoreSchema.name).\(table)_j\(storeID)"
    }

    func partition(_ table: JournalLayout.Table) -> String { Self.partition(table.name, storeID: storeID) }

    /// One round trip makes every table: a push costs the same few round trips whatever
    /// the number of tables, and each COPY.
    func create(_ tables: [JournalLayout.Table]) throws(FleetError) {
        guard !tables.isEmpty else { return }
        try connection.execute(tables.map { table in """
            CREATE TABLE \(partition(table)) (LIKE \(StoreSchema.name).\(table.name));
            ALTER TABLE \(partition(table)) ALTER COLUMN journal_no SET DEFAULT \(storeID),
                ADD CONSTRAINT \(table.name)_j\(storeID)_journal CHECK (journal_no = \(storeID));
            """ }.joined(separator: "\n"))
    }

    /// COPYs each table's rows from the journal; `afterTable` is called after each.
    func copy(_ tables: [JournalLayout.Table], from file: SQLiteFile,
              afterTable: ((String) -> Void)?) throws(FleetError) -> (rows: Int, bytes: Int) {
        var rows = 0
        var bytes = 0
        var buffer = CopyBuffer()
        defer { buffer.deallocate() }
        for table in tables {
            let copied = try TableCopier(table: table, file: file, connection: connection).copy(into: partition(table), buffer: &buffer)
            rows += copied.rows
            bytes += copied.bytes
            afterTable?(table.name)
        }
        return (rows, bytes)
    }

    /// Gathers the planner's statistics on the tables, from a small sample (statistics
    /// target 10: 3,000 rows, 8 ms for a 100 K-op journal's `ops` against 112 ms at the
    /// default 100). Without any, a journal's partitions go unanalyzed until autovacuum
    /// comes by, and the views' joins are planned from guesses: reuse-distance on one
    /// 100 K-op journal ran in 0.6 s unanalyzed and 0.26 to 0.30 s with these (0.37 to
    /// 0.48 s with the default target's).
    func analyze(_ tables: [JournalLayout.Table]) throws(FleetError) {
        guard !tables.isEmpty else { return }
        try connection.execute("SET LOCAL default_statistics_target = 10; ANALYZE " + tables.map(partition).joined(separator: ", "))
    }

    /// Builds each table's keys and indexes as the parent declares them, in one round trip.
    func buildIndexes(_ tables: [JournalLayout.Table], _ indexes: PartitionIndexes) throws(FleetError) {
        let statements = tables.flatMap { indexes.statements(for: $0.name, on: partition($0)) }
        guard !statements.isEmpty else { return }
        try connection.execute(statements.map { $0 + ";" }.joined(separator: "\n"))
    }

    /// One round trip attaches every table as the journal's partition of its parent.
    static func attach(_ tables: [JournalLayout.Table], storeID: Int64, on connection: PGConnection) throws(FleetError) {
        guard !tables.isEmpty else { return }
        try connection.execute(tables.map { table in
            "ALTER TABLE \(StoreSchema.name).\(table.name) ATTACH PARTITION \(partition(table.name, storeID: storeID)) FOR VALUES IN (\(storeID));"
        }.joined(separator: "\n"))
    }
}
