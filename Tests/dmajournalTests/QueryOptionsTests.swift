import Foundation
import Testing

/// `dmajournal query` at sqlite3-shell grade (issue 17 item 3, issue 16, issue 21 item 11).
@Suite struct QueryOptionsTests {
    @Test func limitStopsAfterNRows() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["query", journal, "SELECT seq FROM ops ORDER BY seq", "--limit", "3", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout == "seq\n0\n1\n2\n")
    }

    /// The user's own SQL takes `--param`; a parameter it lacks is one line, exit 2.
    @Test func paramBindsOwnSQL() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(["query", journal, "SELECT count(*) AS n FROM ops WHERE seq < :n", "--param", "n=3", "--format", "csv"])
        #expect(run.stdout == "n\n3\n", "\(run.stderr)")
        let typo = try ToolRun.run(["query", journal, "SELECT :seq", "--param", "sqe=21"])
        #expect(typo.status == 2)
        #expect(typo.stderr == "dmajournal: \(journal): the query has no parameter :sqe; it has :seq\n")
    }

    /// SQL that starts with a `--` comment is SQL, not an unknown option; `-` reads stdin.
    @Test func sqlStartingWithACommentAndFromStdin() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let dashed = try ToolRun.run(["query", journal, "-- the first op\nSELECT kind FROM op_log WHERE seq = 0", "--format", "csv"])
        #expect(dashed.status == 0, "\(dashed.stderr)")
        #expect(dashed.stdout == "kind\nregion\n")
        let piped = try ToolRun.run(["query", journal, "-", "--format", "csv"], stdin: "-- count\nSELECT count(*) AS n FROM ops WHERE seq < 3\n")
        #expect(piped.stdout == "n\n3\n", "\(piped.stderr)")
    }

    /// `--timeout` stops a query that would not end, with exit 124 and one line.
    @Test func timeoutStopsTheQuery() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let endless = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        let run = try ToolRun.run(["query", journal, endless, "--timeout", "0.3"])
        #expect(run.status == 124)
        #expect(run.stderr == "dmajournal: \(journal): the query ran past its --timeout of 0.3 s and was stopped\n")
    }

    /// Ctrl-C stops a running query inside SQLite: exit 130, one line.
    @Test func interruptStopsTheQuery() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let process = Process()
        process.executableURL = TestPaths.tool
        process.arguments = ["query", journal, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(stderr == "dmajournal: \(journal): the query was interrupted\n")
    }

    /// Completions come from the command definitions (scripts/install-cli.sh installs them).
    @Test func completionScriptsAreGenerated() throws {
        let bash = try ToolRun.run(["--generate-completion-script", "bash"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("query"))
        #expect(bash.stdout.contains("--timeout"))
    }

    /// Usage errors are one line and exit 2, negative values included.
    @Test(arguments: [["query"], ["query", "x.db", "SELECT 1", "--limit", "-1"], ["query", "x.db", "--timeout", "0"], ["nosuchcommand"]])
    func usageErrorsAreOneLineAndExitTwo(_ arguments: [String]) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("dmajournal"))
    }

    @Test func versionAndBareCommand() throws {
        let version = try ToolRun.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.split(separator: ".").count == 3)
        let bare = try ToolRun.run([])
        #expect(bare.status == 0)
        #expect(bare.stdout.contains("SUBCOMMANDS"))
    }

    /// JSON keeps 64-bit digests exact for jq: the value equals the CSV one, unsigned.
    @Test func jsonDigestsAreExact() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let sql = "SELECT digest FROM ops WHERE digest IS NOT NULL AND abs(digest) > 9007199254740992 ORDER BY seq LIMIT 1"
        let csv = try ToolRun.run(["query", journal, sql, "--format", "csv"]).stdout.split(separator: "\n")
        try #require(csv.count == 2)
        let unsigned = String(UInt64(bitPattern: Int64(csv[1])!))
        let json = try ToolRun.run(["query", journal, sql, "--format", "json"])
        #expect(json.stdout == "[\n  {\"digest\": \"\(unsigned)\"}\n]\n")
    }
}
