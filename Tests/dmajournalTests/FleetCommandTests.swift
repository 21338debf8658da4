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

    /// Against the test server (DMAJOURNAL_TEST_PG_URL, which .ci/run sets).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DMAJOURNAL_TEST_PG_URL"] != nil,
                   "no PostgreSQL server: `eval \"$(bash scripts/pg-test-cluster.sh start)\"` sets DMAJOURNAL_TEST_PG_URL; CI always has one"))
    func pushThenQueryTheStore() throws {
        let server = ProcessInfo.processInfo.environment["DMAJOURNAL_TEST_PG_URL"]!
        let database = "dmajournal_cli_" + UUID().uuidString.prefix(8).lowercased()
        let base = server.components(separatedBy: "?")[0].replacingOccurrences(of: #"/[^/]*$"#, with: "", options: .regularExpression)
        #expect(try ToolRun.shell("psql '\(server)' -qc 'CREATE DATABASE \(database)'").status == 0)
        defer { _ = try? ToolRun.shell("psql '\(server)' -qc 'DROP DATABASE IF EXISTS \(database) WITH (FORCE)'") }
        let store = "\(base)/\(database)"
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
}
