import DMASim
import Foundation
import Testing
@testable import Journal

/// A journal being written is claimed (`JournalLock`): another writer may not replace,
/// recover or snapshot it until it is sealed (concurrency.sh, case 2: `record --force` on
/// a journal another `record` was writing deleted it, and the first died with SQLite error
/// 1032). flock claims belong to the open file description, so a second open in this
/// process conflicts as another process would.
@Suite struct JournalLockTests {
    static let ops = Scenarios.machine + (0..<10).map { .cpuWrite(CPUWriteOp(phys: Scenarios.shared + UInt64($0) * 64, length: 64, fill: .seed(UInt64($0)))) }

    static func openRecording(_ path: String) throws -> JournalWriter {
        let writer = try JournalWriter(path: path, run: Recording.run, batchSize: 4)
        let engine = Engine()
        for (sequence, op) in ops.enumerated() { try writer.record(op, outcome: engine.apply(op), sequence: sequence, sourceLine: nil) }
        return writer
    }

    static func expectInUse(_ path: String, refusal: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no refusal")
        } catch let error as JournalError {
            guard case .inUse(let errorPath, _, let text) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(errorPath == path)
            #expect(text == refusal)
            // The message names who holds it: this process is never listed as "another".
            #expect(error.description.hasPrefix("\(path): in use by another dmajournal process; "), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func forceDoesNotReplaceAJournalBeingWritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        let first = try Self.openRecording(path)
        Self.expectInUse(path, refusal: "refusing to replace it: let that process finish, or write another file") {
            _ = try JournalWriter(path: path, force: true, run: Recording.run)
        }
        try first.finish()
        #expect(try JournalReader(path: path).opCount == Self.ops.count)
        // Sealed, it may be replaced.
        try JournalWriter(path: path, force: true, run: Recording.run).finish()
        #expect(try JournalReader(path: path).opCount == 0)
    }

    @Test func recoverRefusesAJournalBeingWritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        let writer = try Self.openRecording(path)
        Self.expectInUse(path, refusal: "recover is for a recording that was killed: let that process finish") {
            try JournalWriter.recover(path: path)
        }
        Self.expectInUse(path, refusal: "a snapshot is added once that process has finished") {
            _ = try SnapshotTables.openForWriting(path: path)
        }
        Self.expectInUse(path, refusal: "refusing to replace it: let that process finish, or write another file") {
            try JournalWriter.checkReplaceable(path)
        }
        withExtendedLifetime(writer) {}
    }

    /// Two snapshot connections may be open at once; SQLite serialises their commits.
    @Test func snapshotWritersShareTheClaim() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        try Self.openRecording(path).finish()
        let first = try SnapshotTables.openForWriting(path: path)
        let second = try SnapshotTables.openForWriting(path: path)
        Self.expectInUse(path, refusal: "recover is for a recording that was killed: let that process finish") {
            try JournalWriter.recover(path: path)
        }
        withExtendedLifetime((first, second)) {}
    }

    /// A writer that never finished (abandoned, as a killed process would) releases its
    /// claim when it goes away, and the journal recovers.
    @Test func anAbandonedWriterReleasesItsClaim() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("j.db")
        do { _ = try Self.openRecording(path) }
        try JournalWriter.recover(path: path)
        let reader = try JournalReader(path: path)
        #expect(!reader.isFinished)
        #expect(reader.opCount == 12)
    }

    /// The writer creates the file itself (O_EXCL) before SQLite does, and clears stale
    /// SQLite files left beside a journal that is gone.
    @Test func aNewJournalIgnoresAStaleWriteAheadLog() throws {
        let directory = TemporaryDirectory()
        let old = directory.file("old.db"), path = directory.file("j.db")
        let writer = try Self.openRecording(old)
        try FileManager.default.copyItem(atPath: old + "-wal", toPath: path + "-wal")
        withExtendedLifetime(writer) {}
        try JournalWriter(path: path, run: Recording.run).finish()
        #expect(try JournalReader(path: path).opCount == 0)
    }
}
