import Foundation
import Testing

/// `run --journal` and `import` stop on SIGINT/SIGTERM as `record` does (issue 17 item 4,
/// issue 21): every op so far is sealed into the journal, which says it is an interrupted
/// recording, and the exit status is 128 + the signal. (`record`: RecordCommandTests.)
@Suite struct InterruptedRecordingTests {
    /// A script long enough to be stopped half-way: 4,000 writes of 256 KiB each.
    static func longScript() throws -> String {
        let path = ExportCommandTests.temporary("long.ops")
        var text = "region shm0 base=0x100000000000 size=1T kind=shared\n"
        for index in 0..<4000 { text += "cpu-write phys=0x\(String(0x1000_0000_0000 + index * 0x40000, radix: 16)) len=256K fill=seed:\(index)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func runWithAJournalStopsOnSIGTERM() throws {
        let script = try Self.longScript(), journal = ExportCommandTests.temporary("run.db")
        let run = try ConcurrencyCommandTests.Background(["run", script, "--journal", journal, "--quiet"])
        #expect(run.wait(seconds: 30) { FileManager.default.fileExists(atPath: journal) })
        Thread.sleep(forTimeInterval: 0.5)
        #expect(run.finish(signal: SIGTERM) == 143, "\(run.stderr)")
        let kept = try #require(run.stderr.firstMatch(of: /holds ops 0…(\d+), marked as an interrupted recording/)).1
        #expect(run.stderr == "dmajournal: stopped by SIGTERM: \(journal) holds ops 0…\(kept), marked as an interrupted recording\n")
        let info = try ToolRun.run(["query", journal, "SELECT ended, op_count, last_seq FROM run_info", "--format", "csv"])
        #expect(info.stdout == "ended,op_count,last_seq\n\"interrupted recording (SIGTERM)\",\(Int(kept)! + 1),\(kept)\n", "\(info.stdout)")
    }

    /// The trace comes through a FIFO, so the import is still reading when the signal
    /// arrives: it ends where the trace ended, with the events read so far.
    @Test func importStopsOnSIGINTWithWhatItRead() throws {
        let fifo = ExportCommandTests.temporary("trace.fifo"), journal = ExportCommandTests.temporary("import.db")
        #expect(mkfifo(fifo, 0o600) == 0)
        let importer = try ConcurrencyCommandTests.Background(["import", fifo, "--journal", journal, "--quiet"])
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        var lines = ""
        for index in 0..<20 {
            lines += "[ 1189.\(100000 + index)] iommu: map: iova 0x\(String(0x6e00_0000 + index * 0x10000, radix: 16)) pa 0x4cd800000 size 0x1000\n"
        }
        writer.write(Data(lines.utf8))
        Thread.sleep(forTimeInterval: 0.5)
        kill(importer.process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.2)
        try writer.close()
        #expect(importer.finish() == 130, "\(importer.stderr)")
        #expect(importer.stderr.hasPrefix("dmajournal: stopped by Ctrl-C: \(journal) holds ops 0…"), "\(importer.stderr)")
        let info = try ToolRun.run(["query", journal, "SELECT ended, op_count > 0 AS some FROM run_info", "--format", "csv"])
        #expect(info.stdout == "ended,some\n\"interrupted recording (SIGINT)\",1\n", "\(info.stdout)")
        #expect(!FileManager.default.fileExists(atPath: journal + ".importing"))
    }
}
