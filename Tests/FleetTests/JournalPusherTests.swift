import CSQLite
@testable import Fleet
import Foundation
import Journal
import Testing

/// `push` against a real server: a journal is in the store whole or not at all, twice is
/// once, and bad input is one line with nothing left behind.
@Suite(.enabled(if: TestServer.available, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
struct JournalPusherTests {
    let scratch = ScratchDirectory()

    private func journal(_ name: String, script: String = "fixtures/scripts/quickstart.ops", finish: Bool = true) throws -> String {
        let path = scratch.file(name)
        try FleetFixtures.record(FleetFixtures.path(script), to: path, finish: finish)
        return path
    }

    private func count(_ connection: PGConnection, _ sql: String) throws -> Int {
        Int(try connection.scalar(sql) ?? "-1") ?? -1
    }

    @Test func pushingTwiceAddsNothing() throws {
        let database = try TestServer.Database()
        let connection = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        let first = try journal("a.db")
        let second = try journal("b.db", script: "fixtures/scripts/kernel/lazy-unmap-stale-iotlb.ops")
        guard case .pushed(_, let id, let ops, let rows, _) = try pusher.push(path: first) else { Issue.record("not pushed"); return }
        #expect(ops == (try JournalReader(path: first).opCount))
        #expect(rows > ops)
        _ = try pusher.push(path: second)
        #expect(try pusher.push(path: first) == .alreadyThere(journalID: id))
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.journals") == 2)
        let opsInFiles = try JournalReader(path: first).opCount + JournalReader(path: second).opCount
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.ops") == opsInFiles)
        // The journal's metadata, as the journal has it.
        let row = try connection.query("SELECT journal, host, workload, kernel, arch, command_line, op_count FROM dmajournal.journals WHERE journal = $1", [id]).rows[0]
        #expect(row[0] == id && row[1] == "test-host" && row[3] == "7.3" && row[4] == "x86_64")
        #expect(row[2]?.hasSuffix("quickstart.ops") == true && row[5]?.hasPrefix("dmajournal run ") == true)
        // A second pusher (a second machine) sees the same store and adds nothing either.
        #expect(try JournalPusher(connection: database.connect()).push(path: first) == .alreadyThere(journalID: id))
    }

    @Test func anUnsealedJournalIsRefusedAndNothingIsStored() throws {
        let database = try TestServer.Database()
        let connection = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        let path = try journal("killed.db", finish: false)
        #expect {
            try pusher.push(path: path)
        } throws: { error in
            (error as? FleetError)?.description.contains("the recording did not finish") == true
                && (error as? FleetError)?.description.contains("dmajournal recover") == true
        }
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.journals") == 0)
    }

    @Test func aJournalOfAnotherSchemaVersionIsRefused() throws {
        let database = try TestServer.Database()
        let pusher = try JournalPusher(connection: database.connect())
        let path = try journal("old.db")
        var handle: OpaquePointer?
        sqlite3_open(path, &handle)
        sqlite3_exec(handle, "PRAGMA user_version = 8", nil, nil, nil)
        sqlite3_close(handle)
        #expect {
            try pusher.push(path: path)
        } throws: { error in
            (error as? FleetError)?.description.hasPrefix("\(path): journal schema 8, but the store takes schema ") == true
                && (error as? FleetError)?.description.contains("\n") == false
        }
        #expect(try count(database.connect(), "SELECT count(*) FROM dmajournal.journals") == 0)
        #expect(try count(database.connect(), "SELECT count(*) FROM pg_class WHERE relname ~ '_j[0-9]+(_|$)'") == 0)
    }

    /// The real server, asked for a database and a role it does not have: one line each,
    /// naming the store and what the server said.
    @Test(arguments: ["database", "role"]) func aWrongURLOnTheRealServerIsOneLine(wrong: String) throws {
        var url = TestServer.url(database: wrong == "database" ? "dmajournal_no_such_database" : "postgres")
        if wrong == "role" {   // the URL's user (if any) replaced
            url = url.replacingOccurrences(of: #"://([^@/]*@)?"#, with: "://dmajournal_no_such_role@", options: .regularExpression)
        }
        #expect {
            try JournalPusher(connection: PGConnection(StoreURL(url)))
        } throws: { error in
            let text = (error as? FleetError)?.description ?? ""
            return text.hasPrefix("\(url): cannot connect: ") && text.contains("no_such_\(wrong)") && !text.contains("\n")
        }
    }

    @Test func aServerThatGoesAwayMidPushLeavesNothingHalfVisible() throws {
        let database = try TestServer.Database()
        let connection = try database.connect()
        let observer = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        let path = try journal("big.db", script: "fixtures/scripts/kernel/iova-top-down-and-rcache.ops")
        let backend = connection.backendPID
        var copiedTables = 0
        pusher.afterTable = { _ in
            copiedTables += 1
            // After a few tables, the server ends this session (as a restart or a
            // network failure would).
            if copiedTables == 3 { _ = try? observer.query("SELECT pg_terminate_backend($1)", [String(backend)]) }
        }
        #expect {
            try pusher.push(path: path)
        } throws: { error in
            guard case .connectionLost(_, let during, _) = error as? FleetError else { return false }
            return during == "pushing \(path)"
        }
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.journals") == 0)
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.ops") == 0)
        #expect(try count(observer, "SELECT count(*) FROM pg_class WHERE relname ~ '_j[0-9]+(_|$)' AND relnamespace = 'dmajournal'::regnamespace") == 0)
        // Pushed again over a new connection, it goes in whole.
        guard case .pushed = try JournalPusher(connection: database.connect()).push(path: path) else { Issue.record("not pushed"); return }
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.ops") == (try JournalReader(path: path).opCount))
    }

    @Test func queriesAreReadOnlyAndNameTheirJournal() throws {
        let database = try TestServer.Database()
        let pusher = try JournalPusher(connection: database.connect())
        let first = try journal("a.db")
        let second = try journal("b.db", script: "fixtures/scripts/misuse/destroy-length-mismatch.ops")
        _ = try pusher.push(path: first)
        _ = try pusher.push(path: second)
        let firstID = try #require(try JournalReader(path: first).run.journalID)
        let fleet = try FleetQuery(connection: database.connect())
        let all = ResultCollector()
        try fleet.runNamed("per-device", parameters: [:], into: .collecting(into: all))
        #expect(all.columns.first == "journal")
        let local = try QueryRunner(path: first).named("per-device")
        #expect(all.rows.filter { $0[0] == .text(firstID) }.map { Array($0.dropFirst()) } == local.rows)
        try fleet.select(journal: String(firstID.prefix(8)), where: nil)
        let one = ResultCollector()
        try fleet.run("SELECT journal, device, ops FROM per_device ORDER BY device", parameters: [:], into: .collecting(into: one))
        #expect(one.rows.count == local.rows.count && one.rows.allSatisfy { $0[0] == .text(firstID) })
        try fleet.select(journal: nil, where: "workload LIKE '%misuse%'")
        #expect(fleet.selected.count == 1 && fleet.selected[0].journal != firstID)
        #expect {
            try fleet.run("DELETE FROM journals", parameters: [:], into: .collecting(into: ResultCollector()))
        } throws: { error in
            guard case .server(_, let state, _) = error as? FleetError else { return false }
            return state == "25006"   // read_only_sql_transaction
        }
    }
}

@Suite struct StoreConnectionTests {
    @Test func aWrongURLIsOneLineNamingTheStoreWithoutItsPassword() {
        #expect {
            try PGConnection(StoreURL("postgresql://ci:s3cret@127.0.0.1:1/fleet?connect_timeout=2"))
        } throws: { error in
            let text = (error as? FleetError)?.description ?? ""
            return text.hasPrefix("postgresql://ci:***@127.0.0.1:1/fleet?connect_timeout=2: cannot connect: ")
                && !text.contains("s3cret") && !text.contains("\n")
        }
    }
}
