import Foundation

/// The keys and indexes every partition of a store table has, as statements for one
/// plain table about to be attached: read once from the catalog (the parents' own
/// definitions, so they cannot drift from `StoreSchema`'s), and written so ATTACH
/// PARTITION finds them equal to the parent's and adopts them. A primary key must be a
/// constraint on the partition too, not only a unique index, for ATTACH to adopt it.
struct PartitionIndexes {
    /// Parent table → statements with `@TABLE@` where the partition's name goes.
    private let templates: [String: [String]]
    private static let placeholder = "@TABLE@"

    init(_ connection: PGConnection) throws(FleetError) {
        let rows = try connection.query("""
            SELECT p.relname,
                   CASE WHEN con.oid IS NOT NULL THEN 'ALTER TABLE \(Self.placeholder) ADD ' || pg_get_constraintdef(con.oid)
                        ELSE regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \\S+ ON ONLY \\S+',
                                            'CREATE \\1INDEX ON \(Self.placeholder)') END
              FROM pg_index i
              JOIN pg_class p ON p.oid = i.indrelid
              LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u')
             WHERE p.relnamespace = '\(StoreSchema.name)'::regnamespace AND p.relkind = 'p'
             ORDER BY p.relname, i.indexrelid
            """).rows
        var templates: [String: [String]] = [:]
        for row in rows {
            guard let table = row[0], let statement = row[1] else { continue }
            templates[table, default: []].append(statement)
        }
        self.templates = templates
    }

    /// The statements that give `partition` the keys and indexes of `table`.
    func statements(for table: String, on partition: String) -> [String] {
        (templates[table] ?? []).map { $0.replacingOccurrences(of: Self.placeholder, with: partition) }
    }
}
