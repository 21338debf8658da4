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

    /// Opens an existing journal; read-write only for `JournalWriter.recover` and
    /// `SnapshotTables.openForWriting`.
    ///
    /// A write that was killed in the middle (`snapshot` during its commit) leaves a hot
    /// `PATH-journal`: the file holds part of a transaction, and only a connection that may
    /// write can put back the last committed state, which SQLite does on its first read.
    /// A read-only open would fail on it (SQLITE_READONLY_ROLLBACK), and so would every
    /// command until some writer came by. So a read-only open that meets one first opens
    /// the file read-write just long enough for that rollback — the one write a reader
    /// ever makes, restoring exactly what any reader should see — then opens read-only as
    /// asked. Where the file or its folder is not writable, the error says to run
    /// `dmajournal recover` as a user who can.
    static func open(_ path: String, readOnly: Bool) throws(JournalError) -> (database: Database, schemaVersion: Int) {
        guard FileSystem.exists(path) else { throw .missingFile(path: path) }
        guard FileSystem.isRegularFile(path) else { throw .cannotOpen(path: path, message: "not a regular file") }
        do {
            return try connect(path, readOnly: readOnly)
        } catch .hotJournal where readOnly {
            try rollBackHotJournal(path)
            return try connect(path, readOnly: readOnly)
        }
    }

    private static func connect(_ path: String, readOnly: Bool) throws(JournalError) -> (database: Database, schemaVersion: Int) {
        let database = try Database(path: path, flags: readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
        if readOnly { try database.execute("PRAGMA query_only=1") }
        let version = try validate(database)
        return (database, version)
    }

    /// Lets SQLite roll back the hot journal beside `path` (see `open`).
    private static func rollBackHotJournal(_ path: String) throws(JournalError) {
        do {
            let writer = try Database(path: path, flags: SQLITE_OPEN_READWRITE)
            _ = try writer.integer("PRAGMA schema_version")
        } catch .busy(let path, let holders) {
            throw .busy(path: path, holders: holders)
        } catch {
            throw .hotJournal(path: path)
        }
    }

    /// Checks the marks of a journal, cheapest first; returns its schema version.
    private static func validate(_ database: Database) throws(JournalError) -> Int {
        let path = database.path
        // The first read of the file: a non-SQLite file fails here with SQLITE_NOTADB.
        let identifier = try database.integer("PRAGMA application_id") ?? 0
        guard identifier == applicationID else {
            if FileSystem.isWALModeWithoutLog(path) {
                throw .notAJournal(path: path, reason: "the file is in WAL mode and \(path)-wal is missing: its commits are in that file, "
                                   + "which must stay beside it (a copy of the .db alone taken while a reader held the recording open?)")
            }
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
