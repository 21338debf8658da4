import Foundation
import Testing

/// `dmajournal query a.db b.db …` / a glob, and `push` then `query --db`, through the binary.
@Suite struct FleetCommandTests {
    @Test func aGlobOfJournalsThenSQLAnswersForEachFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["a", "b"] {
            let run = try ToolRun.run(["run", "--quiet", "--journal", "\(directory)/\(name).db", "fixtures/scripts/quickstart.ops"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let query = try ToolRun.run(["query", "\(directory)/*.db", "SELECT count(*) AS n FROM ops", "--format", "csv"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout == "journal,n\n\(directory)/a.db,24\n\(directory)/b.db,24\n")
        let named = try ToolRun.run(["query", "\(directory)/a.db", "\(directory)/b.db", "--named", "faults-after-unmap", "--format", "csv"])
        #expect(named.stdout.split(separator: "\n").count == 3)
    }

    static let server = ProcessInfo.processInfo.environment["DMAJOURNAL_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A database of its own on the test server (DMAJOURNAL_TEST_PG_URL, which .ci/run
    /// sets), dropped when released; `url` names it for `push --to` and `query --db`.
    final class StoreDatabase {
        let url: String
        private let name = "dmajournal_cli_" + UUID().uuidString.prefix(8).lowercased()

        init() throws {
            let server = FleetCommandTests.server!
            let base = server.components(separatedBy: "?")[0].replacingOccurrences(of: #"/[^/]*$"#, with: "", options: .regularExpression)
            url = "\(base)/\(name)"
            let made = try ToolRun.shell("psql '\(server)' -qc 'CREATE DATABASE \(name)'")
            precondition(made.status == 0, made.stderr)
        }

        deinit { _ = try? ToolRun.shell("psql '\(FleetCommandTests.server!)' -qc 'DROP DATABASE IF EXISTS \(name) WITH (FORCE)'") }

        /// `psql -tA` of `sql` in this database: its output, trimmed.
        func psql(_ sql: String) throws -> String {
            let run = try ToolRun.shell("psql '\(url)' -qtAc \"\(sql)\"")
            precondition(run.status == 0, run.stderr)
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test(.enabled(if: server != nil, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
    func pushThenQueryTheStore() throws {
        let database = try StoreDatabase()
        let store = database.url
        let journal = try QueryCommandTests.recordQuickstart()
        let push = try ToolRun.run(["push", journal, "--to", store])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains(": pushed journal ") && push.stdout.contains("24 ops"))
        let again = try ToolRun.run(["push", journal, "--to", store])
        #expect(again.stdout.contains("is already in the store; nothing added"))
        let query = try ToolRun.run(["query", "--db", store, "--named", "faults-after-unmap", "--where", "workload LIKE '%quickstart.ops'", "--format", "csv"])
        #expect(query.status == 0, "\(query.stderr)")
        let rows = query.stdout.split(separator: "\n")
        #expect(rows.count == 2 && rows[1].contains(",23,nvme0,not-present,4294942720,m1,15,18,"))
        let write = try ToolRun.run(["query", "--db", store, "DELETE FROM journals"])
        #expect(write.status == 2 && write.stderr.contains("read-only transaction (SQLSTATE 25006)"))
        let wrong = try ToolRun.run(["push", journal, "--to", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"])
        #expect(wrong.status == 2 && wrong.stderr.hasPrefix("dmajournal: postgresql://nobody@127.0.0.1:1/none?connect_timeout=2: cannot connect: "))
    }

    /// The server ends the pushing session as it attaches the journal's partitions (an
    /// event trigger terminates its own backend: as a restart or a DBA's
    /// `pg_terminate_backend` would, at the last step before COMMIT). The command says so
    /// in one line, does not try the journals after it, exits 2, and the store holds what
    /// it held before: no journal row, no partition, no table.
    @Test(.enabled(if: server != nil, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
    func aServerThatEndsThePushingSessionIsOneLineAndNothingIsStored() throws {
        let database = try StoreDatabase()
        let first = try QueryCommandTests.recordQuickstart()
        #expect(try ToolRun.run(["push", "--quiet", first, "--to", database.url]).status == 0)
        _ = try database.psql("""
            CREATE FUNCTION public.end_session_at_attach() RETURNS event_trigger LANGUAGE plpgsql AS \\$\\$
            BEGIN IF current_query() LIKE '%ATTACH PARTITION%' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; END
            \\$\\$; CREATE EVENT TRIGGER end_session_at_attach ON ddl_command_end EXECUTE FUNCTION public.end_session_at_attach()
            """)
        let killed = try ToolRun.journal(of: "kernel/lazy-unmap-stale-iotlb.ops", prefix: "killed")
        let never = try ToolRun.journal(of: "quickstart.ops", prefix: "never")
        let push = try ToolRun.run(["push", killed, never, "--to", database.url])
        #expect(push.status == 2)
        let lines = push.stderr.split(separator: "\n")
        let lost = String(lines.first ?? "")
        #expect(lost.hasPrefix("dmajournal: \(database.url): the connection was lost while pushing \(killed) (")
                    && lost.contains("terminating connection due to administrator command")
                    && lost.hasSuffix("); nothing of it was committed"), "\(push.stderr)")
        #expect(lines.dropFirst() == ["dmajournal: 1 of 2 journals not pushed; 1 not tried after the connection was lost"])
        #expect(try database.psql("SELECT count(*) FROM dmajournal.journals") == "1")
        #expect(try database.psql("SELECT count(*) FROM pg_class WHERE relnamespace = 'dmajournal'::regnamespace AND relname ~ '_j[0-9]+$' AND relname !~ '_j1$'") == "0")
        #expect(try database.psql("SELECT count(*) FROM dmajournal.ops") == "24")
    }

    /// Bad journals through the binary: each one line naming the file, the others pushed,
    /// exit 2, and nothing of the bad ones in the store.
    @Test(.enabled(if: server != nil, "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
    func unsealedAndOtherSchemaJournalsAreOneLineEachAndTheRestArePushed() throws {
        let database = try StoreDatabase()
        let good = try QueryCommandTests.recordQuickstart()
        let unsealed = try ToolRun.journal(of: "quickstart.ops", prefix: "unsealed")
        let older = try ToolRun.journal(of: "quickstart.ops", prefix: "older")
        // A recording killed before its end is not sealed: run.finished is 0.
        #expect(try ToolRun.shell("sqlite3 '\(unsealed)' 'UPDATE run SET finished = 0' && sqlite3 '\(older)' 'PRAGMA user_version = 8'").status == 0)
        let push = try ToolRun.run(["push", unsealed, older, good, "--to", database.url])
        #expect(push.status == 2)
        let lines = push.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(push.stderr)")
        #expect(lines.first?.hasPrefix("dmajournal: \(unsealed): the recording did not finish") == true)
        #expect(lines.dropFirst().first?.hasPrefix("dmajournal: \(older): journal schema 8, but the store takes schema ") == true)
        #expect(lines.last == "dmajournal: 2 of 3 journals not pushed")
        #expect(push.stdout.hasPrefix("\(good): pushed journal "))
        #expect(try database.psql("SELECT count(*) || ' ' || sum(op_count) FROM dmajournal.journals") == "1 24")
    }
}
