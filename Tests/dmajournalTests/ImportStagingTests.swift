import Foundation
import Testing

/// An import writes `J.importing-PID` and moves it into place: a run that dies leaves no
/// staging file (a signal's handler removes it), and one killed outright (SIGKILL) leaves
/// one the next import of the same journal removes.
@Suite(.serialized) struct ImportStagingTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func stagingFiles(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".importing") }.sorted()
    }

    /// The PID of a process that has exited.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func leftoversOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let directory = try Self.scratch()
        let journal = directory.appendingPathComponent("j.db").path
        let dead = try Self.deadPID(), live = getpid()
        for name in ["j.db.importing", "j.db.importing-wal", "j.db.importing-\(dead)", "j.db.importing-\(dead)-wal",
                     "j.db.importing-\(dead)-shm", "j.db.importing-\(live)", "other.db.importing-\(dead)"] {
            FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data("x".utf8))
        }
        let run = try ToolRun.run(["import", ImportCommandTests.dmesg, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.stagingFiles(in: directory) == ["j.db.importing-\(live)", "other.db.importing-\(dead)"])
    }

    /// The import blocks reading a FIFO; SIGTERM (or SIGKILL) arrives while its staging
    /// journal exists.
    static func interruptedImport(_ signal: Int32, in directory: URL) throws -> Process {
        let fifo = directory.appendingPathComponent("log.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = TestPaths.tool
        process.arguments = ["import", fifo, "--journal", directory.appendingPathComponent("j.db").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(Data("[    1.0] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000 [fault reason 0x06] PTE Read access is not set\n".utf8))
        let deadline = Date().addingTimeInterval(10)
        while try Self.stagingFiles(in: directory).isEmpty, Date() < deadline { usleep(20_000) }
        #expect(try !Self.stagingFiles(in: directory).isEmpty)
        kill(process.processIdentifier, signal)
        let exitDeadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < exitDeadline { usleep(20_000) }
        if process.isRunning {
            Issue.record("the import did not end on signal \(signal)")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try writer.close()
        return process
    }

    @Test func aSignalledImportRemovesItsStagingJournal() throws {
        let directory = try Self.scratch()
        let process = try Self.interruptedImport(SIGTERM, in: directory)
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGTERM)
        let left = try Self.stagingFiles(in: directory)
        #expect(left == [])
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("j.db").path))
    }

    @Test func aKilledImportsLeftoverGoesWithTheNextRun() throws {
        let directory = try Self.scratch()
        let process = try Self.interruptedImport(SIGKILL, in: directory)
        #expect(process.terminationStatus == SIGKILL)
        #expect(try !Self.stagingFiles(in: directory).isEmpty)
        let run = try ToolRun.run(["import", ImportCommandTests.dmesg, "--journal", directory.appendingPathComponent("j.db").path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let left = try Self.stagingFiles(in: directory)
        #expect(left == [], "killed: \(process.processIdentifier)")
    }
}
