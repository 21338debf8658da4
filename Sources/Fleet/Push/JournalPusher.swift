import Dispatch
import Journal

/// Copies journals into a store (`dmajournal push`). Each journal goes in one
/// transaction: its `journals` row, then for every table it has rows in a plain table
/// loaded with binary COPY (FREEZE: made in this transaction, so its rows need no later
/// vacuum pass), attached at the end as the journal's partition. Until COMMIT nothing of
/// it is visible; if anything fails (the server goes away, a row does not fit) the
/// transaction dies with it and the store is as it was.
///
/// A big journal's push is the server's work (COPY, then an index build per key and
/// index), one core's worth. So a second connection, the helper, loads every table but
/// `ops` at the same time and builds their keys and indexes, in a transaction of its own
/// that commits plain tables no parent holds (no view sees them); the journal's
/// transaction loads `ops`, then attaches them all, adopting the helper's indexes. Should
/// the journal's transaction not commit, the helper's tables are dropped
/// (`StrandedPartitions`), now or by the next push if this one was killed.
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
    /// The second connection; nil when the server would not give one (everything then
    /// goes over `connection`).
    let helper: PGConnection?
    /// The journal schema the store mirrors: this build's.
    public let schemaVersion: Int
    /// Journals of fewer ops go over one connection: the second transaction's own round
    /// trips and catalog work (a few milliseconds) would be most of a small push's time.
    public var helperFromOps = 20_000
    /// Called after each table the journal's own connection copies (tests use it to break
    /// the connection mid-push).
    public var afterTable: ((String) -> Void)?
    /// Called after each table the helper connection copies, on the helper's thread
    /// (tests break the helper's connection mid-push).
    public var afterHelperTable: ((String) -> Void)?
    /// Called when every table is loaded (the helper's committed), just before they are
    /// attached (tests break the connection there).
    public var beforeAttach: (() -> Void)?
    private var indexes: PartitionIndexes?

    /// Connects to the store, making it first if the database has none (from `layout`,
    /// by default this build's: `JournalLayout.current()`, which writes and reads a
    /// template journal). A store that is there already needs no layout: its version is
    /// checked against this build's, and each journal's tables are read from the journal
    /// itself, of the same schema. That spares every later push command the template
    /// (0.23 G of the 1.5 G instructions a 100 K-op push took, callgrind). Tables a
    /// killed push left behind are dropped here.
    public init(connection: PGConnection, layout: JournalLayout? = nil) throws(FleetError) {
        self.connection = connection
        if layout == nil, let version = try StoreSetup.storedVersion(connection) {
            schemaVersion = try StoreSetup.checked(version, connection, expected: JournalReader.currentSchemaVersion)
        } else {
            let layout = if let layout { layout } else { try JournalLayout.current() }
            schemaVersion = try StoreSetup.ensure(connection, schema: StoreSchema(layout: layout))
        }
        helper = try? PGConnection(connection.store)
        for session in [connection, helper].compactMap({ $0 }) { try Self.buildIndexesSerially(on: session) }
        // Best effort: a stranded table only takes space (store ids are never reused, so
        // no later push trips over it), and another role's may not be ours to drop.
        try? StrandedPartitions.sweep(on: connection)
    }

    /// No parallel workers for the partitions' index builds. PostgreSQL gives a build one
    /// once the table passes 8 MB (`ops` and `mapped_ranges` of a 100 K-op journal), but
    /// the push's two sessions and the client's two threads already keep the cores busy:
    /// the worker only adds a process start and a merge of two sorted runs.
    private static func buildIndexesSerially(on session: PGConnection) throws(FleetError) {
        try session.execute("SET max_parallel_maintenance_workers = 0")
    }

    /// Pushes one journal file.
    public func push(path: String) throws(FleetError) -> Outcome {
        let facts = try JournalFacts.read(path: path, expecting: schemaVersion)
        let file = try SQLiteFile(path: path)
        try connection.execute("BEGIN")
        var helped: Int64?
        do throws(FleetError) {
            let outcome = try pushInTransaction(facts, file, helped: &helped)
            if case .alreadyThere = outcome { try connection.execute("ROLLBACK"); return outcome }
            try commit(facts)
            return outcome
        } catch {
            if connection.isAlive { try? connection.execute("ROLLBACK") }
            if let storeID = helped, let helper, helper.isAlive { try? StrandedPartitions.drop(storeID: storeID, on: helper) }
            throw relabelled(error, path: path)
        }
    }

    /// The push inside the journal's transaction; `helped` is set to the store id once
    /// the helper may have committed tables for it.
    private func pushInTransaction(_ facts: JournalFacts, _ file: SQLiteFile, helped: inout Int64?) throws(FleetError) -> Outcome {
        let name = StoreSchema.name
        if try connection.scalar("SELECT id FROM \(name).journals WHERE journal = $1", [facts.journalID]) != nil {
            return .alreadyThere(journalID: facts.journalID)
        }
        guard let idText = try connection.scalar(JournalFacts.insertSQL, facts.values), let storeID = Int64(idText) else {
            throw .server(store: connection.store.description, sqlState: "", message: "no id for the new journal")
        }
        try connection.execute(StrandedPartitions.lockCall("pg_advisory_xact_lock", storeID: storeID))
        // A table the journal left empty gets no partition: the parent then has no rows
        // for this journal, which is what an empty partition would say, and the push
        // skips its CREATE, COPY and ATTACH (most of a small journal's tables are empty:
        // snapshots, imports, injections, …).
        var tables: [JournalLayout.Table] = []
        for table in try JournalLayout.tables(in: file) where try file.hasRows(table.name) { tables.append(table) }
        let loader = PartitionLoader(connection: connection, storeID: storeID)
        // A helper connection that broke since (a server restart) is not used again.
        let (own, others) = helper?.isAlive == true && facts.opCount >= helperFromOps
            ? (tables.filter { $0.name == "ops" }, tables.filter { $0.name != "ops" }) : (tables, [])
        let copied: (rows: Int, bytes: Int)
        if others.isEmpty {
            try loader.create(own)
            copied = try loader.copy(own, from: file, afterTable: afterTable)
            try loader.analyze(own)
        } else {
            helped = storeID
            copied = try loadWithHelper(own, loader, file, others, PartitionLoader(connection: helper!, storeID: storeID), path: file.path)
        }
        beforeAttach?()
        try PartitionLoader.attach(tables, storeID: storeID, on: connection)
        return .pushed(storeID: storeID, journalID: facts.journalID, ops: facts.opCount, rows: copied.rows, bytes: copied.bytes)
    }

    /// `own` over the journal's connection and `others` over the helper's, at once; the
    /// helper commits its tables with their keys and indexes built.
    private func loadWithHelper(_ own: [JournalLayout.Table], _ loader: PartitionLoader, _ file: SQLiteFile,
                                _ others: [JournalLayout.Table], _ helperLoader: PartitionLoader,
                                path: String) throws(FleetError) -> (rows: Int, bytes: Int) {
        if indexes == nil { indexes = try PartitionIndexes(connection) }
        let indexes = indexes!
        // Each side uses only its own connection and SQLite handle; the journal's side
        // alone touches `file` and calls `afterTable`, the helper's `afterHelperTable`.
        nonisolated(unsafe) let (loader, helperLoader, file, afterTable, afterHelperTable) = (loader, helperLoader, file, afterTable, afterHelperTable)
        let results = SideResults()
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            if side == 0 {
                results.own = Result { () throws(FleetError) in
                    try loader.create(own)
                    let copied = try loader.copy(own, from: file, afterTable: afterTable)
                    try loader.analyze(own)
                    return copied
                }
            } else {
                // A SQLite connection of its own: NOMUTEX connections are not shared
                // between threads.
                results.others = Result { () throws(FleetError) in
                    try Self.loadAndCommit(others, helperLoader, from: SQLiteFile(path: path), indexes, afterTable: afterHelperTable)
                }
            }
        }
        let ownCopied = try results.own.get()
        let othersCopied = try results.others.get()
        return (ownCopied.rows + othersCopied.rows, ownCopied.bytes + othersCopied.bytes)
    }

    private static func loadAndCommit(_ tables: [JournalLayout.Table], _ loader: PartitionLoader, from file: SQLiteFile,
                                      _ indexes: PartitionIndexes, afterTable: ((String) -> Void)?) throws(FleetError) -> (rows: Int, bytes: Int) {
        let connection = loader.connection
        try connection.execute("BEGIN")
        do throws(FleetError) {
            try loader.create(tables)
            let copied = try loader.copy(tables, from: file, afterTable: afterTable)
            try loader.analyze(tables)
            try loader.buildIndexes(tables, indexes)
            try connection.execute("COMMIT")
            return copied
        } catch {
            if connection.isAlive { try? connection.execute("ROLLBACK") }
            throw error
        }
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

/// What each side of a two-connection load gave; each slot is written by one side only,
/// and read after `concurrentPerform` has returned.
private final class SideResults: @unchecked Sendable {
    var own: Result<(rows: Int, bytes: Int), FleetError> = .success((0, 0))
    var others: Result<(rows: Int, bytes: Int), FleetError> = .success((0, 0))
}
