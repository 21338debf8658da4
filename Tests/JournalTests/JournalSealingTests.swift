import DMASim
import Foundation
import CSQLite
import Testing
@testable import Journal

/// Readers never make a recording fail (concurrency.sh, case 1: a query running when
/// `record` reached `finish()` made it exit 2 with "SQLite error 5: database is locked"
/// and left the journal in WAL mode). Sealing waits for them, and says how it left the file.
@Suite struct JournalSealingTests {
    static let ops = JournalLockTests.ops

    /// A reader in the middle of a query: the last commits cannot be checkpointed.
    static func readerMidQuery(_ path: String) throws -> QueryCursor {
        let cursor = try QueryRunner(path: path).cursor("SELECT seq FROM ops")
        #expect(try cursor.next())
        return cursor
    }

    @Test func aReaderMidQueryOutlastingTheWaitLeavesTheLastCommitsInTheWAL() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        do {
            let writer = try JournalLockTests.openRecording(path)
            let cursor = try Self.readerMidQuery(path)
            var notices: [String] = []
            let result = try writer.finish(interruptedBy: 0, waiting: SealWaiting(limit: .milliseconds(1500), notice: { notices.append($0) }))
            #expect(result == .walHoldsCommits(readers: nil))
            #expect(notices.count == 1)
            #expect(notices.first?.hasPrefix("\(path): waiting for another process to stop reading it") == true, "\(notices)")
            withExtendedLifetime(cursor) {}
        }
        // Everything is committed: a reader sees the whole, finished journal.
        do {
            let reader = try JournalReader(path: path)
            #expect(reader.isFinished && reader.opCount == Self.ops.count)
        }
        // And recover folds the WAL in once the readers are gone.
        #expect(try JournalWriter.recover(path: path, waiting: SealWaiting(limit: .seconds(5))) == .singleFile)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aReaderThatFinishesWhileTheWriterWaitsLetsItSealOneFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        let writer = try JournalLockTests.openRecording(path)
        nonisolated(unsafe) var cursor: QueryCursor? = try Self.readerMidQuery(path)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.5)
            withExtendedLifetime(cursor) {}
            cursor = nil
            done.signal()
        }
        let result = try writer.finish(interruptedBy: 0, waiting: SealWaiting(limit: .seconds(30)))
        done.wait()
        #expect(result == .singleFile)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(try JournalReader(path: path).opCount == Self.ops.count)
    }

    /// A connection merely open (between queries) blocks only the switch back to rollback
    /// mode: every commit is already in the file.
    @Test func anIdleReaderLeavesACompleteFileInWALMode() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        let writer = try JournalLockTests.openRecording(path)
        let idle = try QueryRunner(path: path)
        _ = try idle.run("SELECT count(*) FROM ops")
        let result = try writer.finish(interruptedBy: 0, waiting: SealWaiting(limit: .milliseconds(300)))
        #expect(result == .walModeKept(readers: nil))
        #expect(FileSystem.size(path + "-wal") == 0)
        withExtendedLifetime(idle) {}
        // The file alone is the whole journal.
        let copy = directory.file("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(try JournalReader(path: copy).opCount == Self.ops.count)
    }

    @Test func stopWaitingWhenAsked() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        let writer = try JournalLockTests.openRecording(path)
        let cursor = try Self.readerMidQuery(path)
        let clock = ContinuousClock(), start = clock.now
        let result = try writer.finish(interruptedBy: 0, waiting: SealWaiting(limit: .seconds(60), shouldStop: { true }))
        #expect(clock.now - start < .seconds(5))
        #expect(result == .walHoldsCommits(readers: nil))
        withExtendedLifetime(cursor) {}
    }

    /// A copy of the .db alone taken while its commits were still in the WAL says so.
    @Test func aCopyMissingItsWriteAheadLogSaysSo() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        // A journal whose every commit is still in its WAL (no checkpoint yet).
        let database = try Database(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0")
        try SchemaMigrator.migrate(database)
        let copy = directory.file("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        withExtendedLifetime(database) {}
        let error = #expect(throws: JournalError.self) { try JournalReader(path: copy) }
        #expect(error?.description.hasPrefix("\(copy): not a dmajournal journal (the file is in WAL mode and \(copy)-wal is missing") == true,
                "\(String(describing: error))")
    }

    /// The interrupted mark and the command line reach the run row and the reader.
    @Test func anInterruptedRecordingSaysSo() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        var run = Recording.run
        run.commandLine = "dmajournal record --workload nvme --journal 'my file.db'"
        let writer = try JournalWriter(path: path, run: run)
        try writer.finish(interruptedBy: 2)
        let reader = try JournalReader(path: path)
        #expect(reader.interruptedBy == 2)
        #expect(reader.commandLine == run.commandLine)
        #expect(reader.stopDescription == "\(path): interrupted recording (stopped by SIGINT; no ops)")
        let row = try QueryRunner(path: path).run("SELECT ended, command_line, sealed_op_count FROM run_info").rows
        #expect(row == [[.text("interrupted recording (SIGINT)"), .text(run.commandLine!), .integer(0)]])
    }
}
