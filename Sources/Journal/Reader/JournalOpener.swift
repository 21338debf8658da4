import CSQLite

/// Opens a journal and proves it is one, for `JournalReader` and `QueryRunner` alike: read-only at the file level (`SQLITE_OPEN_READONLY`) and at the
/// connection level (`PRAGMA query_only`).
enum JournalOpener {
    /// `PRAGMA application_id` of every journal: 0x444D414A, "DMAJ".
    static let applicationID: Int64 = 0x444D_414A

    /// The tables every journal version has; a file without one is not a journal.
    static let requiredTables = ["run", "names", "ops", "topology", "mapped_ranges", "events", "findings", "warnings", "rejections"]

    static func openReadOnly(_ path: String) throws(JournalError) -> (database: Database, schemaVersion: Int) {
        try open(path, readOnly: true)
    }

    /// Opens an existing journal; read-write only for `JournalWriter.recover`.
    static func open(_ path: String, readOnly: Bool) throws(JournalError) -> (database: Database, schemaVersion: Int) {
        guard FileSystem.exists(path) else { throw .missingFile(path: path) }
        guard FileSystem.isRegularFile(path) else { throw .cannotOpen(path: path, message: "not a regular file") }
        let database = try Database(path: path, flags: readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
        if readOnly { try database.execute("PRAGMA query_only=1") }
        let version = try validate(database)
        return (database, version)
    }

    /// Checks the marks of a journal, cheapest first; returns its schema version.
    private static func validate(_ database: Database) throws(JournalError) -> Int {
        let path = database.path
        // The first read of the file: a non-SQLite file fails here with SQLITE_NOTADB.
        let identifier = try database.integer("PRAGMA application_id") ?? 0
        guard identifier == applicationID else {
            throw .notAJournal(path: path, reason: "application_id is 0x\(String(identifier, radix: 16)), not 0x444d414a")
        }
        let version = Int(try database.integer("PRAGMA user_version") ?? 0)
        guard version <= SchemaMigrator.latestVersion else {
            throw .newerSchema(path: path, found: version, supported: SchemaMigrator.latestVersion)
        }
        guard version >= 1 else { throw .notAJournal(path: path, reason: "schema version \(version)") }
        if let missing = try missingTable(database) { throw .notAJournal(path: path, reason: "no table '\(missing)'") }
        return version
    }

    private static func missingTable(_ database: Database) throws(JournalError) -> String? {
        let statement = try database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        var present: Set<String> = []
        while try statement.step() {
            if let name = statement.text(at: 0) { present.insert(name) }
        }
        return requiredTables.first { !present.contains($0) }
    }
}
