@testable import Fleet
import Foundation
import Journal
import Testing

/// The journal's views and named queries, written once in schema/ for SQLite, give the
/// same rows in the PostgreSQL store: every fixture script's journal is pushed once into
/// one shared store (`ParityStore`), and for each journal every view and every named
/// query is run both ways and compared, one test case per script (in parallel).
@Suite(.enabled(if: TestServer.available, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
struct DialectParityTests {
    @Test func everyScriptThatMakesAJournalIsInTheStore() throws {
        let store = try ParityStore.shared.get()
        #expect(store.journals.count >= 40)
        #expect(store.layout.views.count >= 15 && store.layout.namedQueries.count >= 8)
    }

    /// One case per fixture script: its journal's views (sorted: views promise no order)
    /// and named queries (in order) against the same journal's rows in the store.
    @Test(arguments: FleetFixtures.scripts().map { String($0.dropFirst(FleetFixtures.path("fixtures/scripts/").count)) })
    func viewsAndNamedQueriesGiveTheSameRowsInBothDatabases(script: String) throws {
        let store = try ParityStore.shared.get()
        guard let journal = store.journals[FleetFixtures.path("fixtures/scripts/" + script)] else { return }   // no sealed journal
        let runner = try QueryRunner(path: journal.path)
        for view in store.layout.views {
            let sqlite = try runner.run("SELECT * FROM \(view.name)")
            #expect(sqlite.columns == store.viewColumns[view.name], "\(view.name) columns")
            let postgres = store.viewRows[view.name]?[journal.id] ?? []
            #expect(RowComparison.sorted(sqlite.rows) == RowComparison.sorted(postgres), "\(view.name) in \(script)")
        }
        let connection = try PGConnection(store.url)
        var compared = 0
        for named in store.layout.namedQueries {
            guard let parameters = try parameters(for: named, runner), let scoped = store.namedSQL[named.name] else { continue }
            let sqlite = try runner.named(named.name, parameters: parameters)
            let postgres = try connection.query(scoped.sql, [String(journal.storeID)] + scoped.parameters.map { parameters[$0].map(text) ?? nil })
            #expect(sqlite.rows.map(RowComparison.cells) == ParityStore.values(postgres).map(RowComparison.cells), "\(named.name) in \(script)")
            compared += 1
        }
        // Those without parameters always run; the rest when the journal has a mapping.
        #expect(compared >= store.layout.namedQueries.filter(\.parameters.isEmpty).count)
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
