@testable import Fleet
import Foundation
import Journal
import Testing

/// The journal's views and named queries, written once in schema/ for SQLite, give the
/// same rows in the PostgreSQL store: every fixture script's journal is pushed, and for
/// each journal every view and every named query is run both ways and compared.
@Suite(.enabled(if: TestServer.available, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
struct DialectParityTests {
    @Test func everyViewAndNamedQueryGivesTheSameRowsInBothDatabases() throws {
        let scratch = ScratchDirectory()
        let database = try TestServer.Database()
        let connection = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        var journals: [(path: String, storeID: Int64, id: String)] = []
        for (index, script) in FleetFixtures.scripts().enumerated() {
            let path = scratch.file("j\(index).db")
            // A script whose claims fail still makes a journal of everything it ran.
            try? FleetFixtures.record(script, to: path)
            guard FileManager.default.fileExists(atPath: path), (try? JournalReader(path: path).isFinished) == true else { continue }
            guard case .pushed(let storeID, let id, _, _, _) = try pusher.push(path: path) else { Issue.record("\(script) not pushed"); continue }
            journals.append((path, storeID, id))
        }
        #expect(journals.count >= 40)
        let layout = pusher.schema.layout
        // Each view once over the whole store (its `journal` column says whose row), so
        // the server plans it once rather than once per journal.
        var storeRows: [String: [String: [[SQLValue]]]] = [:]   // view → journal id → rows
        var storeColumns: [String: [String]] = [:]
        for view in layout.views {
            let result = try connection.query("SELECT * FROM dmajournal.\(view.name)")
            storeColumns[view.name] = result.columns.dropFirst().map(\.name)
            for row in values(result) {
                guard case .text(let id) = row[0] else { continue }
                storeRows[view.name, default: [:]][id, default: []].append(Array(row.dropFirst()))
            }
        }
        var compared = 0
        for journal in journals {
            let runner = try QueryRunner(path: journal.path)
            for view in layout.views {
                let sqlite = try runner.run("SELECT * FROM \(view.name)")
                let postgresRows = storeRows[view.name]?[journal.id] ?? []
                #expect(sqlite.columns == storeColumns[view.name], "\(view.name) columns")
                #expect(RowComparison.sorted(sqlite.rows) == RowComparison.sorted(postgresRows), "\(view.name) in \(journal.path)")
                compared += 1
            }
            for named in layout.namedQueries {
                guard let parameters = try parameters(for: named, runner) else { continue }
                let sqlite = try runner.named(named.name, parameters: parameters)
                let (sql, order) = try pusher.schema.scopedSQL(named.sql)
                let postgres = try connection.query(sql, [String(journal.storeID)] + order.map { parameters[$0].map(text) ?? nil })
                // Named queries order their rows: compare in order.
                #expect(sqlite.rows.map(RowComparison.cells) == values(postgres).map(RowComparison.cells), "\(named.name) in \(journal.path)")
                compared += 1
            }
        }
        #expect(compared > journals.count * (layout.views.count + 5))
    }

    private func values(_ result: PGResult) -> [[SQLValue]] {
        let columns = result.columns
        return result.rows.map { row in zip(row, columns).map { PGValue.value($0, typeOID: $1.typeOID) } }
    }

    private func text(_ value: SQLValue) -> String? {
        switch value {
        case .integer(let number): return String(number)
        case .text(let text): return text
        case .real(let number): return String(number)
        default: return nil
        }
    }

    /// Values for a named query's parameters taken from the journal itself (the first
    /// mapped range, a snapshot's name); nil when the journal has nothing to ask about.
    private func parameters(for query: NamedQuery, _ runner: QueryRunner) throws -> [String: SQLValue]? {
        var values: [String: SQLValue] = [:]
        for name in query.parameters {
            switch name {
            case "iova": values[name] = try runner.run("SELECT iova + 1 FROM mapped_ranges ORDER BY seq LIMIT 1").rows.first?.first
            case "phys": values[name] = try runner.run("SELECT phys + 1 FROM mapped_ranges ORDER BY seq LIMIT 1").rows.first?.first
            case "seq": values[name] = try runner.run("SELECT max(seq) / 2 FROM ops").rows.first?.first
            case "a", "b": values[name] = try runner.run("SELECT name FROM snapshots ORDER BY seq LIMIT 1").rows.first?.first
            default: return nil
            }
            if values[name] == nil || values[name] == .null { return nil }
        }
        return values
    }
}
