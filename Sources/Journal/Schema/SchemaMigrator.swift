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
        for migration in JournalSchema.migrations where migration.version > current {
            try inTransaction(database) { () throws(JournalError) in try database.execute(migration.immediateSQL) }
        }
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
