/// What a reader can tell about a journal written by `dmajournal import`.
extension JournalReader {
    /// The files the journal was imported from, in import order; empty for a journal a
    /// simulation recorded (or one older than schema 4, which has no import tables).
    public func importedSources() throws(JournalError) -> [String] {
        guard try database.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'import_sources'") == 1 else {
            return []
        }
        let statement = try database.prepare("SELECT path FROM import_sources ORDER BY id")
        var paths: [String] = []
        while try statement.step() { paths.append(statement.text(at: 0) ?? "") }
        return paths
    }

    /// What the import's simulation filled in (schema 009; none in an older journal).
    public func importAssumptions() throws(JournalError) -> [String] {
        guard try database.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'import_assumptions'") == 1 else {
            return []
        }
        let statement = try database.prepare("SELECT text FROM import_assumptions ORDER BY idx")
        var texts: [String] = []
        while try statement.step() { texts.append(statement.text(at: 0) ?? "") }
        return texts
    }
}
