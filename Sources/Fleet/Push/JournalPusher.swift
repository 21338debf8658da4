import CSQLite
import Journal

/// Copies journals into a store (`dmajournal push`). Each journal goes in one
/// transaction: its `journals` row, then for every table it has rows in a plain table loaded with binary
/// COPY (FREEZE: made in this transaction, so its rows need no later vacuum pass),
/// attached at the end as the journal's partition, which builds its indexes in one sort
/// each. Until COMMIT nothing of it is visible; if anything fails (the server goes away,
/// a row does not fit) the transaction dies with it and the store is as it was.
///
///     let pusher = try JournalPusher(connection: connection)
///     let outcome = try pusher.push(path: "nvme.db")
///
/// A journal already in the store (same journal id) is left alone: pushing twice adds
/// nothing. Its id is unique in `journals`, so of two pushes of one journal at the same
/// time one commits and the other finds it there.
public final class JournalPusher {
    public enum Outcome: Sendable, Equatable {
        /// Copied: the store's number for it, rows copied and bytes of COPY data sent.
        case pushed(storeID: Int64, journalID: String, ops: Int, rows: Int, bytes: Int)
        /// Already in the store under this id.
        case alreadyThere(journalID: String)
    }

    public let connection: PGConnection
    public let schema: StoreSchema
    /// Called after each table is copied (tests use it to break the connection mid-push).
    public var afterTable: ((String) -> Void)?

    public init(connection: PGConnection, layout: JournalLayout? = nil) throws(FleetError) {
        self.connection = connection
        if let layout {
            schema = StoreSchema(layout: layout)
        } else {
            schema = StoreSchema(layout: try JournalLayout.current())
        }
        try StoreSetup.ensure(connection, schema: schema)
    }

    /// Pushes one journal file.
    public func push(path: String) throws(FleetError) -> Outcome {
        let facts = try JournalFacts.read(path: path, expecting: schema.layout)
        let file = try SQLiteFile(path: path)
        try connection.execute("BEGIN")
        do throws(FleetError) {
            let outcome = try pushInTransaction(facts, file)
            if case .alreadyThere = outcome { try connection.execute("ROLLBACK"); return outcome }
            try commit(facts)
            return outcome
        } catch {
            if connection.isAlive { try? connection.execute("ROLLBACK") }
            throw relabelled(error, path: path)
        }
    }

    private func pushInTransaction(_ facts: JournalFacts, _ file: SQLiteFile) throws(FleetError) -> Outcome {
        let name = StoreSchema.name
        if try connection.scalar("SELECT id FROM \(name).journals WHERE journal = $1", [facts.journalID]) != nil {
            return .alreadyThere(journalID: facts.journalID)
        }
        guard let idText = try connection.scalar(JournalFacts.insertSQL, facts.values), let storeID = Int64(idText) else {
            throw .server(store: connection.store.description, sqlState: "", message: "no id for the new journal")
        }
        var rows = 0
        var bytes = 0
        var buffer = CopyBuffer()
        defer { buffer.deallocate() }
        // A table the journal left empty gets no partition: the parent then has no rows
        // for this journal, which is what an empty partition would say, and the push
        // skips its CREATE, COPY and ATTACH (most of a small journal's tables are empty:
        // snapshots, imports, injections, …).
        var tables: [JournalLayout.Table] = []
        for table in schema.layout.tables where try file.hasRows(table.name) { tables.append(table) }
        // One round trip makes every partition-to-be, one attaches them all: a push costs
        // the same few round trips whatever the number of tables, and each COPY.
        let partition = { (table: JournalLayout.Table) in "\(name).\(table.name)_j\(storeID)" }
        try connection.execute(tables.map { table in """
            CREATE TABLE \(partition(table)) (LIKE \(name).\(table.name));
            ALTER TABLE \(partition(table)) ALTER COLUMN journal_no SET DEFAULT \(storeID),
                ADD CONSTRAINT \(table.name)_j\(storeID)_journal CHECK (journal_no = \(storeID));
            """ }.joined(separator: "\n"))
        for table in tables {
            let copied = try TableCopier(table: table, file: file, connection: connection)
                .copy(into: partition(table), buffer: &buffer)
            rows += copied.rows
            bytes += copied.bytes
            afterTable?(table.name)
        }
        try connection.execute(tables.map { table in
            "ALTER TABLE \(name).\(table.name) ATTACH PARTITION \(partition(table)) FOR VALUES IN (\(storeID));"
        }.joined(separator: "\n"))
        return .pushed(storeID: storeID, journalID: facts.journalID, ops: facts.opCount, rows: rows, bytes: bytes)
    }

    private func commit(_ facts: JournalFacts) throws(FleetError) {
        do {
            try connection.execute("COMMIT")
        } catch {
            if case .connectionLost(let store, _, let message) = error {
                // The COMMIT may or may not have reached the server: push again to be sure
                // (a journal already there is skipped).
                throw .server(store: store, sqlState: "", message: "the connection was lost at COMMIT (\(message)): whether \(facts.journalID) is in the store is unknown; push it again to be sure")
            }
            throw error
        }
    }

    /// A lost connection names the journal whose push it ended.
    private func relabelled(_ error: FleetError, path: String) -> FleetError {
        if case .connectionLost(let store, _, let message) = error {
            return .connectionLost(store: store, during: "pushing \(path)", message: message)
        }
        return error
    }
}
