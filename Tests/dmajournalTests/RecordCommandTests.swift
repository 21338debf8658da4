import Foundation
import Testing

/// `dmajournal record`, end to end: the journal holds what the summary says, injected
/// misuse shows up in SQL, and Ctrl-C leaves a journal of everything recorded so far.
@Suite struct RecordCommandTests {
    static func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).db").path
    }

    @Test func aCleanRecordingJournalsEveryStepAndExitsZero() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["record", "--workload", "rdma-odp", "--ops", "2000", "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(" 0 failed claims (0 on data), 0 injected; journal \(journal) "))
        let recorded = try #require(Int(run.stdout.split(separator: " ")[1]))
        let count = try ToolRun.run(["query", journal, "SELECT count(*) FROM ops", "--format", "csv"])
        #expect(count.stdout == "count(*)\n\(recorded)\n")
    }

    @Test func anInjectedLateAccessIsFoundBySQL() throws {
        let journal = Self.temporaryJournal()
        let run = try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--journal", journal, "--quiet",
                                   "--iommu-mode", "lazy", "--inject", "late-access@1000"])
        #expect(run.stdout.contains(", 1 injected;"))
        let findings = try ToolRun.run(["query", journal, "SELECT DISTINCT class FROM findings", "--format", "csv"])
        #expect(findings.stdout.contains("use-after-destroy"))
        // The mark sits on the op that committed the misuse, which the checker flagged.
        let marked = try ToolRun.run(["query", journal, "SELECT injected, kind, findings_here FROM injected_ops", "--format", "csv"])
        #expect(marked.stdout == "injected,kind,findings_here\nlate-access,dev-write,use-after-destroy\n"
             || marked.stdout == "injected,kind,findings_here\nlate-access,dev-read,use-after-destroy\n", "\(marked.stdout)")
    }

    @Test func badInjectionsAreBadInput() throws {
        let run = try ToolRun.run(["record", "--workload", "nvme", "--journal", Self.temporaryJournal(), "--inject", "bogus@1"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("dmajournal: record: --inject bogus@1: expected a class ("))
    }

    /// Ctrl-C (and SIGTERM) stop between ops: the journal is sealed with every op so far,
    /// says it is an interrupted recording and keeps the command line; exit 128 + N
    /// (issue 17 item 4: it exited 0 and the journal said "complete").
    @Test(arguments: [(SIGINT, "Ctrl-C", "SIGINT"), (SIGTERM, "SIGTERM", "SIGTERM")])
    func aSignalStopsCleanlyAndTheJournalSaysSo(_ signal: (number: Int32, said: String, name: String)) throws {
        let journal = Self.temporaryJournal()
        let process = Process()
        process.executableURL = TestPaths.tool
        process.arguments = ["record", "--workload", "mixed", "--ops", "100000000", "--journal", journal, "--quiet"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, signal.number)
        // Never hang the suite: a recorder that ignores the signal is killed and the test fails.
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("record did not stop within 30 s of the signal")
            return
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 128 + signal.number)
        #expect(text.hasPrefix("interrupted: journal holds ops 0…"))
        let recorded = try #require(Int(text.split(separator: " ")[6]))
        #expect(stderr == "dmajournal: stopped by \(signal.said): \(journal) holds ops 0…\(recorded - 1), marked as an interrupted recording\n")
        let count = try ToolRun.run(["query", journal, "SELECT count(*), max(seq) FROM ops", "--format", "csv"])
        #expect(count.stdout == "count(*),max(seq)\n\(recorded),\(recorded - 1)\n")
        let info = try ToolRun.run(["query", journal, "SELECT ended, command_line FROM run_info", "--format", "csv"])
        #expect(info.stdout.hasPrefix("ended,command_line\n\"interrupted recording (\(signal.name))\","), "\(info.stdout)")
        #expect(info.stdout.contains("record --workload mixed --ops 100000000 --journal \(journal) --quiet"))
        let replay = try ToolRun.run(["replay", journal, "--to", "0"])
        #expect(replay.stdout.hasSuffix("\(journal): interrupted recording (stopped by \(signal.name); \(recorded) ops, last seq \(recorded - 1))\n"),
                "\(replay.stdout)")
    }

    /// SIGKILL mid-recording: the journal opens, holds whole batches, and `recover`
    /// builds its indexes and folds the WAL into the one file.
    @Test func aKilledRecordingRecovers() throws {
        let journal = Self.temporaryJournal()
        let process = Process()
        process.executableURL = TestPaths.tool
        process.arguments = ["record", "--workload", "nvme", "--ops", "100000000", "--journal", journal, "--quiet"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        // Until at least one batch is committed (the -wal file has grown past its header).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: journal + "-wal")[.size] as? Int) ?? 0) < 1 << 20 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let count = try ToolRun.run(["query", journal, "SELECT count(*) % 10000 AS partial, count(*) > 0 AS some FROM ops", "--format", "csv"])
        #expect(count.stdout == "partial,some\n0,1\n", "whole batches only: \(count.stdout)\(count.stderr)")
        let recover = try ToolRun.run(["recover", journal])
        #expect(recover.status == 0, "\(recover.stderr)")
        #expect(recover.stdout.hasPrefix("recovered: \(journal): recording did not finish; it stops after the last committed batch ("))
        #expect(!FileManager.default.fileExists(atPath: journal + "-wal"))
        let again = try ToolRun.run(["recover", journal])
        #expect(again.stdout.hasSuffix("; nothing to recover\n"))
    }
}
