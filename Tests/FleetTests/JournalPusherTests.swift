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

    private func count(sqlite path: String, _ sql: String) throws -> Int {
        var handle: OpaquePointer?
        sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close(handle) }
        var statement: OpaquePointer?
        sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        return sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int64(statement, 0)) : -1
    }

    /// A store, the pushing connection, a second one to end sessions from, a pusher that
    /// sends every journal over two connections (the helper's too), and a journal for it.
    private func twoConnectionPush() throws -> (TestServer.Database, PGConnection, PGConnection, JournalPusher, String) {
        let database = try TestServer.Database()
        let connection = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        pusher.helperFromOps = 0
        return (database, connection, try database.connect(), pusher,
                try journal("big.db", script: "fixtures/scripts/kernel/iova-top-down-and-rcache.ops"))
    }

    /// The push of `path` fails with the connection lost, leaves no journal, no rows and
    /// no `_jN` table behind, and goes in whole when pushed again over a new connection.
    private func expectLostAndNothingLeft(pushing path: String, with pusher: JournalPusher, database: TestServer.Database,
                                          observer: PGConnection) throws {
        #expect {
            try pusher.push(path: path)
        } throws: { error in
            guard case .connectionLost(_, let during, _) = error as? FleetError else { return false }
            return during == "pushing \(path)" && !(error as! FleetError).description.contains("\n")
        }
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.journals") == 0)
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.ops") == 0)
        #expect(try count(observer, "SELECT count(*) FROM pg_class WHERE relname ~ '_j[0-9]+(_|$)' AND relnamespace = 'dmajournal'::regnamespace") == 0)
        guard case .pushed = try JournalPusher(connection: database.connect()).push(path: path) else { Issue.record("not pushed"); return }
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.ops") == (try JournalReader(path: path).opCount))
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
            (error as? FleetError)?.description.hasPrefix("\(path): the recording did not finish") == true
                && (error as? FleetError)?.description.contains("dmajournal recover") == true
                && (error as? FleetError)?.description.contains("\n") == false
        }
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.journals") == 0)
        #expect(try count(connection, "SELECT count(*) FROM pg_class WHERE relname ~ '_j[0-9]+(_|$)'") == 0)
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
        try expectLostAndNothingLeft(pushing: path, with: pusher, database: database, observer: observer)
    }

    /// A big journal goes over two connections: the helper commits every table but `ops`
    /// with its keys and indexes built, the journal's transaction attaches them, and
    /// ATTACH adopts those indexes (the partitions have the parents' indexes once each).
    @Test func aJournalLoadedOverTwoConnectionsIsWholeWithItsIndexesOnce() throws {
        let database = try TestServer.Database()
        let connection = try database.connect()
        let pusher = try JournalPusher(connection: connection)
        pusher.helperFromOps = 0
        let path = try journal("big.db", script: "fixtures/scripts/kernel/iova-top-down-and-rcache.ops")
        guard case .pushed(let storeID, _, let ops, _, _) = try pusher.push(path: path) else { Issue.record("not pushed"); return }
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.ops") == ops)
        #expect(try count(connection, "SELECT count(*) FROM dmajournal.mapped_ranges") == count(sqlite: path, "SELECT count(*) FROM mapped_ranges"))
        #expect(try count(connection, "SELECT count(*) FROM pg_class WHERE relname ~ '_j\(storeID)$' AND relkind = 'r' AND NOT relispartition") == 0)
        // Each partition has exactly the indexes its parent declares.
        let unmatched = try connection.query("""
            SELECT c.relname, (SELECT count(*) FROM pg_index WHERE indrelid = c.oid), (SELECT count(*) FROM pg_index WHERE indrelid = c.relparent)
              FROM (SELECT oid, relname, (SELECT inhparent FROM pg_inherits WHERE inhrelid = pg_class.oid) AS relparent
                      FROM pg_class WHERE relname ~ '_j\(storeID)$' AND relkind = 'r') c
             WHERE (SELECT count(*) FROM pg_index WHERE indrelid = c.oid) <> (SELECT count(*) FROM pg_index WHERE indrelid = c.relparent)
            """).rows
        #expect(unmatched.isEmpty, "partitions whose index count differs from their parent's: \(unmatched)")
        let fleet = try FleetQuery(connection: database.connect())
        let all = ResultCollector()
        try fleet.runNamed("per-device", parameters: [:], into: .collecting(into: all))
        #expect(all.rows.map { Array($0.dropFirst()) } == (try QueryRunner(path: path).named("per-device").rows))
    }

    /// The helper's tables are committed before the journal's transaction attaches them:
    /// if that transaction then dies, they are dropped, and nothing of the journal shows.
    @Test func aServerThatGoesAwayBeforeAttachLeavesNoHelperTables() throws {
        let (database, connection, observer, pusher, path) = try twoConnectionPush()
        let backend = connection.backendPID
        pusher.beforeAttach = { _ = try? observer.query("SELECT pg_terminate_backend($1)", [String(backend)]) }
        try expectLostAndNothingLeft(pushing: path, with: pusher, database: database, observer: observer)
    }

    /// The helper's session ends while it loads its tables (the journal's own session
    /// goes on): the push fails in one line, nothing of the journal is in the store (the
    /// helper had not committed, the journal's transaction rolls back), and the same
    /// pusher sends the next journal over its own connection alone.
    @Test func aHelperSessionThatEndsMidPushLeavesNothingHalfVisible() throws {
        let (database, connection, observer, pusher, path) = try twoConnectionPush()
        let helperBackend = try #require(pusher.helper?.backendPID)
        nonisolated(unsafe) var helperTables = 0
        pusher.afterHelperTable = { _ in
            helperTables += 1
            if helperTables == 2 { _ = try? observer.query("SELECT pg_terminate_backend($1)", [String(helperBackend)]) }
        }
        #expect {
            try pusher.push(path: path)
        } throws: { error in
            guard case .connectionLost(_, let during, _) = error as? FleetError else { return false }
            return during == "pushing \(path)" && !(error as! FleetError).description.contains("\n")
        }
        #expect(connection.isAlive)
        #expect(try count(observer, "SELECT count(*) FROM dmajournal.journals") == 0)
        #expect(try count(observer, "SELECT count(*) FROM pg_class WHERE relname ~ '_j[0-9]+(_|$)' AND relnamespace = 'dmajournal'::regnamespace") == 0)
        let next = try journal("next.db")
        guard case .pushed(_, _, let ops, _, _) = try pusher.push(path: next) else { Issue.record("not pushed"); return }
        #expect(try count(database.connect(), "SELECT count(*) FROM dmajournal.ops") == ops)
    }

    /// A push killed after its helper committed leaves plain `_jN` tables no parent
    /// holds: the next pusher drops them, but not those of a push still running (its
    /// transaction holds the advisory lock on its store id).
    @Test func tablesAKilledPushLeftAreDroppedByTheNextPusher() throws {
        let database = try TestServer.Database()
        let connection = try database.connect()
        _ = try JournalPusher(connection: connection)
        try connection.execute("CREATE TABLE dmajournal.ops_j901 (LIKE dmajournal.ops); CREATE TABLE dmajournal.names_j901 (LIKE dmajournal.names)")
        try connection.execute("CREATE TABLE dmajournal.ops_j902 (LIKE dmajournal.ops)")
        let running = try database.connect()
        try running.execute("BEGIN")
        try running.execute(StrandedPartitions.lockCall("pg_advisory_xact_lock", storeID: 902))
        _ = try JournalPusher(connection: database.connect())
        #expect(try count(connection, "SELECT count(*) FROM pg_class WHERE relname IN ('ops_j901', 'names_j901')") == 0)
        #expect(try count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'ops_j902'") == 1)
        try running.execute("ROLLBACK")
        _ = try JournalPusher(connection: database.connect())
        #expect(try count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'ops_j902'") == 0)
    }

    /// A store that exists is checked against this build's schema without a template
    /// journal: another version is one line, and nothing is pushed.
    @Test func aStoreOfAnotherSchemaIsRefusedInOneLine() throws {
        let database = try TestServer.Database()
        _ = try JournalPusher(connection: database.connect())
        try database.connect().execute("UPDATE dmajournal.store_info SET value = '8' WHERE key = 'journal_schema'")
        #expect {
            try JournalPusher(connection: database.connect())
        } throws: { error in
            let text = (error as? FleetError)?.description ?? ""
            return text.contains("the store holds schema 8 journals and this dmajournal writes schema \(JournalReader.currentSchemaVersion)")
                && !text.contains("\n")
        }
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
        // No JIT for fleet queries (FleetQuery: it cost seconds per journal).
        let jit = ResultCollector()
        try fleet.run("SELECT current_setting('jit') AS jit", parameters: [:], into: .collecting(into: jit))
        #expect(jit.rows == [[.text("off")]])
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
