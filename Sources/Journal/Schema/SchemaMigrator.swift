/// Applies the embedded schema to a writable database.
enum SchemaMigrator {
    /// The newest schema version this build writes and reads.
    static var latestVersion: Int { JournalSchema.migrations.last?.version ?? 0 }

    /// Every secondary index a finished journal has.
    static var deferredIndexNames: [String] { JournalSchema.migrations.flatMap(\.deferredIndexNames) }

    /// Brings the database to `latestVersion`: the immediate part of every migration newer
    /// than its `user_version`, each in its own transaction, so a failure leaves the
    /// database at the last version that applied completely. Deferred indexes wait for
    /// `buildDeferredIndexes`.
    static func migrate(_ database: Database) throws(JournalError) {
        let current = try database.integer("PRAGMA user_version") ?? 0
        try applySkipped(below: current, database)
        for migration in JournalSchema.migrations where migration.version > current {
            try inTransaction(database) { () throws(JournalError) in try database.execute(migration.immediateSQL) }
        }
    }

    /// Migrations numbered below the file's version that it never had. Branches took
    /// numbers out of order (012 reached users before 009-011), so a journal written then
    /// is at version 12 without them; `user_version` alone cannot tell. Each migration runs
    /// in one transaction, so the table or column it creates first (`Migration.marker`)
    /// says whether it applied. A skipped one is applied now, in number order, and the
    /// version set back to what the file had.
    private static func applySkipped(below current: Int64, _ database: Database) throws(JournalError) {
        for migration in JournalSchema.migrations where migration.version <= current {
            guard let marker = migration.marker, try !has(marker, database) else { continue }
            try inTransaction(database) { () throws(JournalError) in
                try database.execute(migration.immediateSQL)
                try database.execute("PRAGMA user_version = \(current)")
            }
        }
    }

    private static func has(_ marker: Migration.Marker, _ database: Database) throws(JournalError) -> Bool {
        let sql: String
        switch marker {
        case .table(let table):
            sql = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '\(table)'"
        case .column(let table, let column):
            sql = "SELECT count(*) FROM pragma_table_info('\(table)') WHERE name = '\(column)'"
        }
        return (try database.integer(sql) ?? 0) > 0
    }

    /// Creates the deferred indexes that do not exist yet, inside the caller's transaction.
    static func buildDeferredIndexes(_ database: Database) throws(JournalError) {
        for migration in JournalSchema.migrations where !migration.deferredSQL.isEmpty {
            try database.execute(migration.deferredSQL)
        }
    }

    /// The deferred indexes the database lacks: all of them after a killed recording.
    static func missingIndexes(_ database: Database) throws(JournalError) -> [String] {
        let statement = try database.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'")
        var present: Set<String> = []
        while try statement.step() {
            if let name = statement.text(at: 0) { present.insert(name) }
        }
        return deferredIndexNames.filter { !present.contains($0) }
    }

    /// Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back when it throws.
    static func inTransaction(_ database: Database, _ body: () throws(JournalError) -> Void) throws(JournalError) {
        try database.execute("BEGIN IMMEDIATE")
        do throws(JournalError) {
            try body()
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }
}
