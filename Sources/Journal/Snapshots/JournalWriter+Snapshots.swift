extension JournalWriter {
    /// The snapshot tables on the recording's connection: rows go into the open batch
    /// transaction, so a snapshot is committed with its batch or absent after a crash.
    package func snapshotTables() throws(JournalError) -> SnapshotTables {
        if let tables = openSnapshotTables { return tables }
        guard let database = openDatabase else { preconditionFailure("JournalWriter.snapshotTables after finish()") }
        let tables = try SnapshotTables(database)
        openSnapshotTables = tables
        return tables
    }
}

extension JournalReader {
    /// The snapshot tables, read-only (empty for a journal older than schema 3).
    package func snapshotTables() throws(JournalError) -> SnapshotTables {
        try SnapshotTables(database)
    }
}
