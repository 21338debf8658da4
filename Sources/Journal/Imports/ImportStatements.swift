/// The prepared statements an import writes its own tables with (schema/004-imports.sql).
final class ImportStatements {
    let insertSource: Statement
    let updateSource: Statement
    let insertImportedOp: Statement
    let insertEventCount: Statement
    let insertSkipReason: Statement
    let insertSkip: Statement
    let insertAssumption: Statement

    init(_ database: Database) throws(JournalError) {
        insertSource = try database.prepare("INSERT INTO import_sources (path) VALUES (?) RETURNING id")
        updateSource = try database.prepare("""
            UPDATE import_sources SET formats = ?, lines = ?, events = ?, skipped = ?, joined_lines = ?, quoted_lines = ?
            WHERE id = ?
            """)
        insertImportedOp = try database.prepare(ImportedOpsColumn.insertSQL)
        insertEventCount = try database.prepare("INSERT INTO import_event_counts (source_id, event, count) VALUES (?, ?, ?)")
        insertSkipReason = try database.prepare("INSERT INTO import_skip_reasons (source_id, reason, count) VALUES (?, ?, ?)")
        insertSkip = try database.prepare("INSERT OR IGNORE INTO import_skips (source_id, line, reason, text) VALUES (?, ?, ?, ?)")
        insertAssumption = try database.prepare("INSERT INTO import_assumptions (text) VALUES (?)")
    }
}

/// The `imported_ops` table's columns, in order.
enum ImportedOpsColumn: Int32, TableColumn {
    case seq = 1, sourceId, line, lineCount, sourceFormat, kernelNaming, timestampNs, wallClock, cpu, task, pid, note, raw

    static let table = "imported_ops"
}
