import Foundation
import Journal
import TestSupport
import Testing

/// concurrency.sh and snapshot-kill.sh (fixtures/reliability), end to end: readers never
/// break a recording; a journal being recorded is not replaced, recovered or snapshotted
/// under its writer; snapshots taken at once wait their turn; a snapshot killed while it
/// commits blocks nothing.
@Suite(.serialized) struct ConcurrencyCommandTests {
    /// A `dmajournal` process left running, its stderr collected in a file to poll.
    final class Background {
        let process = Process()
        let stderrPath = ExportCommandTests.temporary("stderr.txt")

        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.executableURL = TestPaths.tool
            process.arguments = arguments
            process.currentDirectoryURL = TestPaths.packageRoot
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits up to `seconds` for `condition`; false if it never held.
        func wait(seconds: Double = 60, until condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return condition()
        }

        /// Its exit status, after a signal if it is still running then.
        func finish(signal: Int32? = nil) -> Int32 {
            if let signal, process.isRunning { kill(process.processIdentifier, signal) }
            if !wait(seconds: 60, until: { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func walBytes(_ journal: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: journal + "-wal")[.size] as? Int) ?? 0
    }

    /// A recording in progress: `record --force`, `import --force`, `recover` and `snapshot`
    /// on its journal are refused, naming the writer; the recording goes on untouched.
    @Test func aJournalBeingRecordedIsNotReplacedRecoveredOrSnapshotted() throws {
        let journal = RecordCommandTests.temporaryJournal()
        let first = try Background(["record", "--workload", "nvme", "--ops", "100000000", "--journal", journal, "--quiet"])
        #expect(first.wait { Self.walBytes(journal) > 1 << 20 }, "no batch committed")
        let holder = "in use by pid \(first.process.processIdentifier) (dmajournal record --workload nvme --ops 100000000 --journal"
        let attempts: [([String], String)] = [
            (["record", "--workload", "nvme", "--ops", "100", "--seed", "7", "--journal", journal, "--force", "--quiet"],
             "refusing to replace it: let that process finish, or write another file"),
            (["import", "fixtures/traces/06-dmesg-iommu-dyndbg-map-lines.txt", "--journal", journal, "--force", "--quiet"],
             "refusing to replace it: let that process finish, or write another file"),
            (["recover", journal], "recover is for a recording that was killed: let that process finish"),
            (["snapshot", journal, "--at", "0"], "a snapshot is added once that process has finished"),
        ]
        for (arguments, refusal) in attempts {
            let run = try ToolRun.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasPrefix("dmajournal: \(journal): \(holder)"), "\(run.stderr)")
            #expect(run.stderr.hasSuffix("); \(refusal)\n"), "\(run.stderr)")
        }
        #expect(first.finish(signal: SIGINT) == 130, "\(first.stderr)")
        let info = try ToolRun.run(["query", journal, "SELECT seed, ended FROM run_info", "--format", "csv"])
        // The seed is the integer run.seed holds (schema 013): CSV writes it as it is.
        #expect(info.stdout == "seed,ended\n1,\"interrupted recording (SIGINT)\"\n", "\(info.stdout)")
    }

    /// A reader in the middle of a query when the recording ends: the writer waits, says
    /// who it waits for, and seals one file once the reader is done.
    @Test func aReaderAtTheEndMakesTheRecordingWaitNotFail() throws {
        let journal = RecordCommandTests.temporaryJournal()
        let recorder = try Background(["record", "--workload", "nvme", "--ops", "15000", "--checkpoint-every", "0", "--journal", journal, "--quiet"])
        // Once the first batch is in: the reader's snapshot is older than the end.
        #expect(recorder.wait { Self.walBytes(journal) > 1 << 20 }, "no batch committed")
        var cursor: QueryCursor? = try QueryRunner(path: journal).cursor("SELECT seq FROM ops")
        #expect(try cursor?.next() != nil)
        let waiting = "\(journal): waiting for pid \(getpid()) ("
        #expect(recorder.wait { recorder.stderr.contains(waiting) }, "no notice: \(recorder.stderr)")
        cursor = nil
        #expect(recorder.finish() == 0, "\(recorder.stderr)")
        #expect(recorder.stderr.split(separator: "\n").count == 1, "\(recorder.stderr)")
        #expect(!FileManager.default.fileExists(atPath: journal + "-wal"))
        let info = try ToolRun.run(["query", journal, "SELECT ended, op_count = sealed_op_count FROM run_info", "--format", "csv"])
        #expect(info.stdout.hasSuffix("\ncomplete,1\n"), "\(info.stdout)")
    }

    /// concurrency.sh, case 3: four snapshots of one journal at once all succeed.
    @Test func snapshotsTakenAtOnceAllSucceed() throws {
        let journal = ExportCommandTests.temporary("snapshots.db")
        let recorded = try ToolRun.run(["run", "fixtures/scripts/snapshots/memory-mismatch.ops", "--journal", journal, "--quiet"])
        #expect(recorded.status == 0 || recorded.status == 1)
        let snapshots = try (1...4).map { try Background(["snapshot", journal, "--at", String(9 + $0), "--name", "s\($0)"]) }
        for snapshot in snapshots { #expect(snapshot.finish() == 0, "\(snapshot.stderr)") }
        _ = try SnapshotCommandTests.sqlite(journal, "SELECT 1")
        #expect(try SnapshotCommandTests.sqlite(journal, "SELECT group_concat(name) FROM (SELECT name FROM snapshots WHERE name LIKE 's%' ORDER BY name)")
            == "s1,s2,s3,s4\n")
    }

    /// snapshot-kill.sh: a write killed during its commit leaves a hot -journal; query
    /// reads the last committed state and recover completes. (`SQLiteShell` makes the same
    /// state as a killed `snapshot`, deterministically.)
    @Test func aWriteKilledMidCommitBlocksNothing() throws {
        let journal = ExportCommandTests.temporary("hot.db")
        let recorded = try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--checkpoint-every", "1000", "--journal", journal, "--quiet"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let before = try ToolRun.run(["query", journal, "SELECT count(*) FROM snapshots", "--format", "csv"]).stdout
        try SQLiteShell.leaveHotJournal(journal, deletingFrom: ["snapshots", "chunks", "ops"])
        #expect(FileManager.default.fileExists(atPath: journal + "-journal"), "no hot journal was left")
        let query = try ToolRun.run(["query", journal, "SELECT count(*) FROM snapshots", "--format", "csv"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout == before)
        let recover = try ToolRun.run(["recover", journal])
        #expect(recover.status == 0, "\(recover.stderr)")
        #expect(try ToolRun.run(["replay", journal]).status == 0)
    }
}
