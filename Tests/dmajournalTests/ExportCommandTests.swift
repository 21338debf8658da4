import Foundation
import Testing

/// `dmajournal export`, end to end through the binary.
@Suite struct ExportCommandTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("export-cli-\(UUID().uuidString)-\(name)").path
    }

    /// Every fixture script, recorded, exported as a script and run again: it passes, and
    /// it journals the same ops (replayed from the exported text, not the original).
    @Test(arguments: TestPaths.fixtureScripts())
    func anExportedScriptRunsAndPasses(_ fixture: URL) throws {
        let journal = Self.temporary("fixture.db"), exported = Self.temporary("exported.ops"), again = Self.temporary("again.db")
        let record = try ToolRun.run(["run", "--quiet", "--journal", journal, fixture.path])
        try #require(record.status == 0, "\(record.stderr)")
        let export = try ToolRun.run(["export", journal, "--format", "script", "-o", exported])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.hasPrefix("wrote \(exported): "))
        let run = try ToolRun.run(["run", "--quiet", "--journal", again, exported])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let ops = "SELECT kind, device, handle, offset, length, phys, address, dir, attrs, fill, status, out_address, digest FROM op_log ORDER BY seq"
        #expect(try ToolRun.run(["query", journal, ops]).stdout == (try ToolRun.run(["query", again, ops]).stdout))
    }

    /// A recorded workload, with an injected misuse, round-trips the same way.
    @Test func anExportedWorkloadRunsAndPasses() throws {
        let journal = Self.temporary("nvme.db"), exported = Self.temporary("nvme.ops")
        let record = try ToolRun.run(["record", "--workload", "nvme", "--ops", "2000", "--journal", journal, "--iommu-mode", "lazy",
                                      "--inject", "late-access@600", "--quiet"])
        try #require(record.status <= 1, "\(record.stderr)")
        #expect(try ToolRun.run(["export", journal, "--format", "script", "-o", exported]).status == 0)
        let run = try ToolRun.run(["run", "--quiet", exported])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("all held"))
    }

    @Test func perfettoGoesToAFileOrStandardOutput() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let path = Self.temporary("trace.json")
        let toFile = try ToolRun.run(["export", journal, "--format", "perfetto", "-o", path])
        #expect(toFile.status == 0)
        #expect(toFile.stdout == "wrote \(path): 37 trace events: 3 mapped-range slices and 3 IOVA-state and mapping lives on 3 tracks, "
            + "2 faults (2 with a flow arrow from their last mapping), 3 findings, 0 kernel warnings, 10 side events\n")  // 3 of them IOTLB fills (schema 017)
        let toStdout = try ToolRun.run(["export", journal, "--format", "perfetto"])
        #expect(toStdout.status == 0)
        #expect(toStdout.stdout == (try String(contentsOfFile: path, encoding: .utf8)))
        let object = try JSONSerialization.jsonObject(with: Data(toStdout.stdout.utf8)) as? [String: Any]
        #expect((object?["traceEvents"] as? [Any])?.count == 37)
    }

    @Test func csvGoesToADirectoryOrOneTable() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let directory = Self.temporary("csv")
        let all = try ToolRun.run(["export", journal, "--format", "csv", "-o", directory])
        #expect(all.status == 0)
        #expect(all.stdout.contains("ops.csv (24 rows)"))
        let ops = try String(contentsOfFile: directory + "/ops.csv", encoding: .utf8)
        #expect(ops == (try ToolRun.run(["query", journal, "SELECT * FROM op_log ORDER BY seq", "--format", "csv"]).stdout))
        let one = try ToolRun.run(["export", journal, "--format", "csv", "--table", "findings"])
        #expect(one.status == 0)
        #expect(one.stdout.split(separator: "\n").count == 4)
    }

    struct BadInput: CustomStringConvertible, Sendable {
        var description: String
        var arguments: [String]
        /// The one stderr line, with JOURNAL standing for the journal's path.
        var message: String
    }

    static let badInputs: [BadInput] = [
        BadInput(description: "missing journal", arguments: ["export", "/nonexistent/j.db", "--format", "script"],
                 message: "dmajournal: /nonexistent/j.db: no such file"),
        BadInput(description: "not a journal", arguments: ["export", "Package.swift", "--format", "perfetto"],
                 message: "dmajournal: Package.swift: not a dmajournal journal (file is not a database)"),
        BadInput(description: "unknown format", arguments: ["export", "JOURNAL", "--format", "svg"],
                 message: "dmajournal: --format 'svg': expected perfetto, script, csv"),
        BadInput(description: "unwritable output", arguments: ["export", "JOURNAL", "--format", "perfetto", "-o", "/nonexistent/t.json"],
                 message: "dmajournal: /nonexistent/t.json: cannot write: No such file or directory"),
        BadInput(description: "unknown table", arguments: ["export", "JOURNAL", "--format", "csv", "--table", "opz"],
                 message: "dmajournal: no CSV table 'opz'; known: run, topology, ops, mapped_ranges, events, findings, warnings, rejections, injections"),
        BadInput(description: "csv without a place", arguments: ["export", "JOURNAL", "--format", "csv"],
                 message: "dmajournal: --format csv needs -o DIRECTORY (one file per table) or --table NAME"),
        BadInput(description: "empty window", arguments: ["export", "JOURNAL", "--format", "perfetto", "--from-seq", "9", "--to-seq", "3"],
                 message: "dmajournal: --from-seq 9 is after --to-seq 3: the window is empty"),
        BadInput(description: "kernel time without times", arguments: ["export", "JOURNAL", "--format", "perfetto", "--time", "kernel"],
                 message: "dmajournal: JOURNAL: no op carries a kernel time (time=, advance, an imported timestamp): --time kernel has nothing to show; use --time ops"),
        BadInput(description: "unknown time", arguments: ["report", "JOURNAL", "--time", "wall"],
                 message: "dmajournal: --time 'wall': expected auto, kernel, ops"),
        BadInput(description: "time without perfetto", arguments: ["export", "JOURNAL", "--format", "script", "--time", "ops"],
                 message: "dmajournal: --time goes with --format perfetto"),
        BadInput(description: "report to a directory", arguments: ["report", "JOURNAL", "-o", "/tmp"],
                 message: "dmajournal: /tmp: cannot write: it is a directory, not a regular file; refusing to replace it"),
        BadInput(description: "report of a missing journal", arguments: ["report", "/nonexistent/j.db", "-o", "/tmp/r.html"],
                 message: "dmajournal: /nonexistent/j.db: no such file"),
    ]

    @Test(arguments: badInputs)
    func badInputIsOneLineAndExitTwo(_ bad: BadInput) throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let run = try ToolRun.run(bad.arguments.map { $0 == "JOURNAL" ? journal : $0 })
        #expect(run.status == 2)
        #expect(run.stderr == bad.message.replacingOccurrences(of: "JOURNAL", with: journal) + "\n")
    }

    /// export-from-seq.sh (fixtures/reliability): a window far past the last op (2^62, where
    /// the time in ns overflowed; Int64.max, where the window's range was empty) is an empty
    /// trace with a note, not a trap.
    @Test(arguments: ["4611686018427387904", "9223372036854775807"])
    func aWindowPastTheEndIsAnEmptyTrace(_ fromSeq: String) throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let path = Self.temporary("window.json")
        let run = try ToolRun.run(["export", journal, "--format", "perfetto", "--from-seq", fromSeq, "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "dmajournal: note: no op of \(journal) lies in the --from-seq/--to-seq window\n")
        let trace = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(trace?["traceEvents"] != nil)
    }
}
