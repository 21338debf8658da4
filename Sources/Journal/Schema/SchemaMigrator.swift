/// Applies the embedded schema to a writable database.
enum SchemaMigrator {
    /// The newest schema version this build writes and reads.
    static var latestVersion: Int { JournalSchema.migrations.last?.version ?? 0 }

    /// Brings the database to `latestVersion`: every migration newer than its
    /// `user_version`, each in its own transaction, so a failure leaves the database at
    /// the last version that applied completely.
    static func migrate(_ database: Database) throws(JournalError) {
        let current = try database.integer("PRAGMA user_version") ?? 0
        for migration in JournalSchema.migrations where migration.version > current {
            try database.execute("BEGIN IMMEDIATE")
            do throws(JournalError) {
                try database.execute(migration.sql)
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        }
    }
}
