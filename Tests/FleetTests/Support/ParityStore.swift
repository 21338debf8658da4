@testable import Fleet
import Foundation
import Journal

/// The store `DialectParityTests` compares against, made once for the whole suite: a
/// journal of every fixture script, pushed into one database, and every view read once
/// over the whole store (its `journal` column says whose row), so the server plans each
/// view once for all journals. Each test case then compares one script's journal.
///
/// Built by the first case that asks (a `static let` is initialised once, whichever
/// case runs first, however many run at once), and read-only afterwards, so the cases
/// run in parallel. The database and the journal files go when the test process exits.
final class ParityStore: Sendable {
    struct Journal: Sendable {
        let path: String
        let storeID: Int64
        let id: String
    }

    static let shared = Result { try ParityStore() }

    let url: StoreURL
    let layout: JournalLayout
    /// Script path → its pushed journal (scripts that left no sealed journal are absent).
    let journals: [String: Journal]
    /// View → journal id → rows (without the `journal` column).
    let viewRows: [String: [String: [[SQLValue]]]]
    let viewColumns: [String: [String]]
    /// Named query → its scoped PostgreSQL text and parameter order.
    let namedSQL: [String: (sql: String, parameters: [String])]

    private static let databaseName = "dmajournal_test_parity_\(getpid())"
    private static let directory = NSTemporaryDirectory() + "dmajournal-parity-\(getpid())"

    private init() throws {
        let admin = try PGConnection(StoreURL(TestServer.url!))
        try admin.execute("DROP DATABASE IF EXISTS \(Self.databaseName)")
        try admin.execute("CREATE DATABASE \(Self.databaseName)")
        try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
        atexit { ParityStore.removeAll() }
        url = StoreURL(TestServer.url(database: Self.databaseName))
        let connection = try PGConnection(url)
        layout = try JournalLayout.current()
        let pusher = try JournalPusher(connection: connection, layout: layout)
        var journals: [String: Journal] = [:]
        for (index, script) in FleetFixtures.scripts().enumerated() {
            let path = Self.directory + "/j\(index).db"
            // A script whose claims fail still makes a journal of everything it ran.
            try? FleetFixtures.record(script, to: path)
            guard FileManager.default.fileExists(atPath: path), (try? JournalReader(path: path).isFinished) == true,
                  case .pushed(let storeID, let id, _, _, _) = try pusher.push(path: path) else { continue }
            journals[script] = Journal(path: path, storeID: storeID, id: id)
        }
        self.journals = journals
        var viewRows: [String: [String: [[SQLValue]]]] = [:]
        var viewColumns: [String: [String]] = [:]
        for view in layout.views {
            let result = try connection.query("SELECT * FROM dmajournal.\(view.name)")
            viewColumns[view.name] = result.columns.dropFirst().map(\.name)
            for row in Self.values(result) {
                guard case .text(let id) = row[0] else { continue }
                viewRows[view.name, default: [:]][id, default: []].append(Array(row.dropFirst()))
            }
        }
        self.viewRows = viewRows
        self.viewColumns = viewColumns
        var namedSQL: [String: (sql: String, parameters: [String])] = [:]
        for named in layout.namedQueries { namedSQL[named.name] = try StoreSchema(layout: layout).scopedSQL(named.sql) }
        self.namedSQL = namedSQL
    }

    static func values(_ result: PGResult) -> [[SQLValue]] {
        let columns = result.columns
        return result.rows.map { row in zip(row, columns).map { PGValue.value($0, typeOID: $1.typeOID) } }
    }

    private static func removeAll() {
        if let admin = try? PGConnection(StoreURL(TestServer.url!)) {
            try? admin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
