import DMASim
import Foundation
import Testing
@testable import Journal

/// A recording killed with SIGKILL leaves a valid journal holding every committed batch.
///
/// The kill is real: a Swift Testing exit test runs `recordThenDie` in a child process
/// (the test binary started again), which records three batches of 100 ops and half of a
/// fourth, then sends itself SIGKILL in the middle of the open transaction. No
/// `finish()`, no deinit, no atexit handler runs. The parent then opens what is left.
@Suite struct JournalWriterCrashTests {
    static let batchSize = 100
    static let committedOps = 3 * batchSize
    static let killedAfterOps = committedOps + batchSize / 2
    static let ops = Scenarios.nvmeLike(ios: 60)

    /// The child's whole life.
    static func recordThenDie(path: String) throws {
        let engine = Engine()
        let writer = try JournalWriter(path: path, run: Recording.run, batchSize: batchSize)
        for (sequence, op) in ops.prefix(killedAfterOps).enumerated() {
            try writer.record(op, outcome: engine.apply(op), sequence: sequence, sourceLine: nil)
        }
        kill(getpid(), SIGKILL)
    }

    @Test func killedRecordingKeepsEveryCommittedBatch() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("killed.db")
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
            try JournalWriterCrashTests.recordThenDie(path: path)
        }
        // Still in WAL mode: the committed batches may live only in the -wal file.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))

        let reader = try JournalReader(path: path)
        #expect(!reader.isFinished)
        #expect(reader.opCount == Self.committedOps)
        #expect(reader.lastCommittedSequence == Self.committedOps - 1)
        #expect(reader.missingIndexes == SchemaMigrator.deferredIndexNames)
        #expect(reader.stopDescription == "\(path): recording did not finish; it stops after the last committed batch "
            + "(300 ops, last seq 299); indexes not built yet (recover the journal to build them)")

        let engine = Engine()
        let recorded = try reader.readAll()
        #expect(recorded.map(\.op) == Array(Self.ops.prefix(Self.committedOps)))
        for entry in recorded {
            #expect(entry.outcome == RecordedOutcome(engine.apply(entry.op)), "op \(entry.seq)")
        }
        // Queries work without the indexes.
        let ranges = try QueryRunner(path: path).run("SELECT count(*) FROM mapped_ranges")
        #expect(ranges.rows == [[.integer(Int64(recorded.reduce(0) { $0 + $1.outcome.ranges.count }))]])
    }

    /// recover() completes a killed recording: indexes built, one file, same ops, and
    /// the journal still says the recording did not finish.
    @Test func recoverBuildsTheIndexesOfAKilledRecording() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("killed.db")
        await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
            try JournalWriterCrashTests.recordThenDie(path: path)
        }
        try JournalWriter.recover(path: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["killed.db"])
        let reader = try JournalReader(path: path)
        #expect(reader.missingIndexes.isEmpty)
        #expect(!reader.isFinished)
        #expect(try reader.readAll().map(\.op) == Array(Self.ops.prefix(Self.committedOps)))
    }
}
