/// What a journal holds, for `dmajournal query --tables` and `--schema` (the sqlite3
/// shell's `.tables` and `.schema`, as rows).
extension QueryRunner {
    /// Every table and view, by name (SQLite's own `sqlite_*` tables left out).
    public func tables() throws(JournalError) -> QueryResult {
        try run("""
            SELECT name, type FROM sqlite_schema
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             ORDER BY type, name
            """)
    }

    /// One row per column of `object` (a table or view), or of every table and view: its
    /// position, name and declared type. A view's column that reads a table column
    /// directly has that column's type; a computed one has none (NULL).
    public func schema(of object: String? = nil) throws(JournalError) -> QueryResult {
        let objects = try tables().rows.compactMap { row -> (String, String)? in
            guard case .text(let name) = row[0], case .text(let type) = row[1] else { return nil }
            return object == nil || object == name ? (name, type) : nil
        }
        if let object, objects.isEmpty {
            throw .badSQL(path: path, message: "no table or view named '\(object)' (--tables lists them)", sql: object)
        }
        var rows: [[SQLValue]] = []
        for (name, type) in objects {
            let statement = try database.prepare("SELECT * FROM \"\(name.replacing("\"", with: "\"\""))\" LIMIT 0")
            for index in 0..<statement.columnCount {
                let declared = statement.declaredType(at: index).map(SQLValue.text) ?? .null
                rows.append([.text(name), .text(type), .integer(Int64(index)), .text(statement.columnName(at: index)), declared])
            }
        }
        return QueryResult(columns: ["object", "type", "position", "column", "declared_type"], rows: rows)
    }
}
