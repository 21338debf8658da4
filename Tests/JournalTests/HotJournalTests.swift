import DMASim
import Foundation
import TestSupport
import Testing
@testable import Journal

/// A write killed in the middle of its transaction (snapshot-kill.sh: `snapshot` killed
/// while it commits) leaves a hot `-journal`. Every command, `recover` included, used to
/// fail with "SQLite error 776" until the sqlite3 shell opened the file. Now a read-only
/// open rolls it back first, and so does recover.
///
/// The hot journal is made deterministically (`SQLiteShell.leaveHotJournal`).
@Suite struct HotJournalTests {
    static func hotJournal(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("j.db")
        let ops = Scenarios.machine + (0..<2000).map { .cpuWrite(CPUWriteOp(phys: Scenarios.shared + UInt64($0) * 64, length: 64, fill: .seed(UInt64($0)))) }
        try Recording.record(ops, to: path)
        try SQLiteShell.leaveHotJournal(path, deletingFrom: ["ops", "mapped_ranges"])
        return path
    }

    @Test func aReadOnlyOpenRollsTheInterruptedWriteBack() throws {
        let directory = TemporaryDirectory()
        let path = try Self.hotJournal(in: directory)
        try #require(FileSystem.size(path + "-journal") > 0, "no hot journal was left")
        let reader = try JournalReader(path: path)
        #expect(reader.opCount == 2004)
        #expect(reader.isFinished)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(try QueryRunner(path: path).integer("SELECT count(*) FROM ops") == 2004)
    }

    @Test func recoverRollsTheInterruptedWriteBack() throws {
        let directory = TemporaryDirectory()
        let path = try Self.hotJournal(in: directory)
        try #require(FileSystem.size(path + "-journal") > 0, "no hot journal was left")
        try JournalWriter.recover(path: path)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(try JournalReader(path: path).opCount == 2004)
    }

    /// The message, where no connection may roll it back, says what to do.
    @Test func theHotJournalMessageSaysWhatToDo() {
        let text = JournalError.hotJournal(path: "j.db").description
        #expect(text == "j.db: an interrupted write (a killed snapshot?) left j.db-journal, which only a writer can roll back: "
            + "run `dmajournal recover j.db`, as a user who may write to its folder")
    }
}
