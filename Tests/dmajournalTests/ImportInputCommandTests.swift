import Foundation
import Testing

/// `dmajournal import` of gzip files and standard input (`-`): the same journal as the
/// plain file gives; a truncated `.gz` keeps what was read and says where it ended.
@Suite struct ImportInputCommandTests {
    static let capture = "fixtures/capture/7.3-intel-strict-nvme-capture.txt"

    static func scratch() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-input-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The summary line without its journal path, and the journal's ops as CSV.
    static func imported(_ arguments: [String], journal: String) throws -> (summary: String, ops: String, status: Int32, stderr: String) {
        let run = try ToolRun.run(["import"] + arguments + ["--journal", journal, "--quiet"])
        let ops = try ToolRun.run(["query", journal, "SELECT seq, kind, device, handle, length, address, status, claims FROM ops ORDER BY seq",
                                   "--format", "csv"])
        return (run.stdout.replacingOccurrences(of: journal, with: "J"), ops.stdout, run.status, run.stderr)
    }

    @Test func gzipFileAndStandardInputImportAsThePlainFile() throws {
        let directory = Self.scratch()
        let compressed = directory + "/capture.txt.gz"
        #expect(try ToolRun.shell("gzip -c \(Self.capture) > \(compressed)").status == 0)
        let plain = try Self.imported([Self.capture], journal: directory + "/plain.db")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.summary.contains("3118 lines: 3066 events"))
        let gzip = try Self.imported([compressed], journal: directory + "/gzip.db")
        #expect(gzip.status == 0, "\(gzip.stderr)")
        #expect(gzip.summary == plain.summary)
        #expect(gzip.ops == plain.ops)
        let piped = try ToolRun.shell("cat \(compressed) | \(TestPaths.tool.path) import - --journal \(directory)/piped.db --quiet")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == plain.summary.replacingOccurrences(of: "J", with: "\(directory)/piped.db"))
        let stdin = try ToolRun.run(["import", "-", "--journal", directory + "/stdin.db", "--quiet"],
                                    stdin: try String(contentsOfFile: TestPaths.packageRoot.path + "/" + Self.capture, encoding: .utf8))
        #expect(stdin.status == 0, "\(stdin.stderr)")
        let sources = try ToolRun.run(["query", directory + "/stdin.db", "SELECT path, lines, events FROM import_sources", "--format", "csv"])
        #expect(sources.stdout == "path,lines,events\n-,3118,3066\n")
    }

    /// A `.gz` cut short (a copy that stopped): exit 2 and one line naming the file, the
    /// problem and the last line read; the journal holds the events before it.
    @Test func aTruncatedGzipKeepsWhatWasReadAndSaysWhereItEnded() throws {
        let directory = Self.scratch()
        let compressed = directory + "/capture.txt.gz", cut = directory + "/cut.txt.gz"
        #expect(try ToolRun.shell("gzip -c \(Self.capture) > \(compressed) && head -c $(( $(stat -c %s \(compressed)) / 2 )) \(compressed) > \(cut)").status == 0)
        let journal = directory + "/cut.db"
        let run = try ToolRun.run(["import", cut, "--journal", journal, "--quiet"])
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("dmajournal: \(cut): the gzip data ends in the middle (a truncated file?), after line ") == true, "\(run.stderr)")
        #expect(lines.first?.hasSuffix("; the lines before it are imported into \(journal)") == true)
        let events = try ToolRun.run(["query", journal, "SELECT events > 0 AND lines < 3118 FROM import_sources", "--format", "csv"])
        #expect(events.stdout.hasSuffix("\n1\n"), "\(events.stdout) \(events.stderr)")
    }
}
