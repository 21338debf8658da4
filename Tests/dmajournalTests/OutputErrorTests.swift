import Foundation
import TestSupport
import Testing

/// output-errors.sh (fixtures/reliability), end to end: a write that fails — standard
/// output on a full device or file system, an `-o` path that is not a regular file — is
/// one line and a non-zero exit (3, a tool failure, when the write itself failed; 2, bad
/// input, when the path cannot be written to), never an exit 0 with nothing written; `-o` follows
/// symbolic links and leaves no staging file behind, also when a signal stops the command.
@Suite struct OutputErrorTests {
    static func journal() throws -> String {
        let path = ExportCommandTests.temporary("j.db")
        let run = try ToolRun.run(["run", "fixtures/scripts/snapshots/memory-mismatch.ops", "--journal", path, "--quiet"])
        precondition(run.status == 0 || run.status == 1, run.stderr)
        return path
    }

    /// Runs the tool with standard output on `path`.
    static func run(_ arguments: [String], stdout path: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = TestPaths.tool
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.packageRoot
        process.standardOutput = FileHandle(forWritingAtPath: path)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    static func commands(_ journal: String) -> [[String]] {
        [["query", journal, "SELECT seq, kind FROM op_log"], ["replay", journal], ["bisect", journal, "--until", "finding"],
         ["run", "fixtures/scripts/quickstart.ops"], ["export", journal, "--format", "script"], ["report", journal],
         ["query", journal, "--list"], ["recover", journal]]
    }

    @Test func everyCommandFailsOnAFullStandardOutput() throws {
        let journal = try Self.journal()
        for arguments in Self.commands(journal) {
            let result = try Self.run(arguments, stdout: "/dev/full")
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "dmajournal: standard output: cannot write: No space left on device\n", "\(arguments): \(result.stderr)")
        }
    }

    /// A real full file system, where the test may mount one (root, as in the lab).
    @Test(.enabled(if: getuid() == 0)) func aFullFileSystemIsReportedForOutputsAndJournals() throws {
        let journal = try Self.journal()
        let mountPoint = ExportCommandTests.temporary("full")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        let mount = try ToolRun.shell("mount -t tmpfs -o size=64k tmpfs \(mountPoint) && dd if=/dev/zero of=\(mountPoint)/fill bs=4k count=64 2>/dev/null; true")
        defer { _ = try? ToolRun.shell("umount \(mountPoint)") }
        try #require(mount.status == 0 && FileManager.default.fileExists(atPath: mountPoint + "/fill"), "no tmpfs: \(mount.stderr)")
        for arguments in Self.commands(journal) {
            _ = FileManager.default.createFile(atPath: mountPoint + "/out", contents: nil)
            let result = try Self.run(arguments, stdout: mountPoint + "/out")
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "dmajournal: standard output: cannot write: No space left on device\n", "\(arguments): \(result.stderr)")
        }
        for arguments in [["report", journal, "-o", mountPoint + "/r.html"], ["export", journal, "--format", "perfetto", "-o", mountPoint + "/t.json"],
                          ["minimize", journal, "--until", "finding", "-o", mountPoint + "/m.ops"]] {
            let run = try ToolRun.run(arguments)
            #expect(run.status == 3, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasSuffix(": cannot write: No space left on device\n"), "\(arguments): \(run.stderr)")
            // One error line; minimize's progress lines (each shorter reproducer it found) come before it.
            #expect(run.stderr.split(separator: "\n").filter { $0.contains("cannot write") }.count == 1, "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").allSatisfy { $0.contains("cannot write") || $0.hasPrefix("minimize: ") }, "\(run.stderr)")
        }
        let record = try ToolRun.run(["record", "--workload", "nvme", "--ops", "20000", "--journal", mountPoint + "/j.db", "--quiet"])
        #expect(record.status == 3)
        #expect(record.stderr.hasSuffix("no space left on the device (SQLite: database or disk is full)\n"), "\(record.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: mountPoint).filter { $0.contains(".partial") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aPathThatIsNotARegularFileIsRefusedAndLeftAlone() throws {
        let journal = try Self.journal()
        let directory = ExportCommandTests.temporary("dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory + "/null", withDestinationPath: "/dev/null")
        let targets = [(fifo, "a FIFO"), (directory, "a directory"), (directory + "/null", "a character device")]
        for (target, kind) in targets {
            for arguments in [["minimize", journal, "--until", "finding", "-o", target], ["report", journal, "-o", target],
                              ["export", journal, "--format", "script", "-o", target],
                              ["record", "--workload", "nvme", "--ops", "10", "--journal", target, "--force"]] {
                let run = try ToolRun.run(arguments)
                #expect(run.status == 2, "\(arguments): \(run.stderr)")
                #expect(run.stderr == "dmajournal: \(target): cannot write: it is \(kind), not a regular file; refusing to replace it\n",
                        "\(arguments): \(run.stderr)")
            }
        }
        var status = stat()
        #expect(lstat(directory + "/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK)
        #expect(stat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["fifo", "null"])
    }

    @Test func aSymbolicLinkIsWrittenThrough() throws {
        let journal = try Self.journal()
        let target = ExportCommandTests.temporary("target.ops"), link = ExportCommandTests.temporary("link.ops")
        _ = FileManager.default.createFile(atPath: target, contents: Data("old".utf8), attributes: [.posixPermissions: 0o640])
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let run = try ToolRun.run(["minimize", journal, "--until", "finding", "-o", link])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("# Reproducer minimised by dmajournal"))
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o640)
        // A journal too.
        let journalLink = ExportCommandTests.temporary("journal-link.db"), journalTarget = ExportCommandTests.temporary("journal-target.db")
        try FileManager.default.createSymbolicLink(atPath: journalLink, withDestinationPath: journalTarget)
        let record = try ToolRun.run(["run", "fixtures/scripts/quickstart.ops", "--journal", journalLink, "--quiet"])
        #expect(record.status == 0, "\(record.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: journalLink) == journalTarget)
        #expect(try ToolRun.run(["replay", journalTarget]).status == 0)
    }

    /// SIGTERM while the output is being written: the staging file goes, exit 143; a
    /// crash (SIGSEGV here, as a trap would be SIGILL) removes it too and still ends the
    /// process by the signal. The window is made wide by a sqlite3 shell holding the
    /// journal locked, so the report sits in its busy wait with its staging file open.
    @Test(arguments: [(SIGTERM, Process.TerminationReason.exit, Int32(143)), (SIGSEGV, .uncaughtSignal, SIGSEGV)])
    func aSignalLeavesNoStagingFile(_ signal: (number: Int32, reason: Process.TerminationReason, status: Int32)) throws {
        let journal = try Self.journal()
        let directory = ExportCommandTests.temporary("out")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let shell = try SQLiteShell(journal, running: "BEGIN EXCLUSIVE;\nSELECT 1;\n")
        Thread.sleep(forTimeInterval: 0.5)
        // No backtrace for the crash: it takes seconds and says nothing here.
        let report = try ConcurrencyCommandTests.Background(["report", journal, "-o", directory + "/r.html"],
                                                            environment: ["SWIFT_BACKTRACE": "enable=no"])
        let staged = report.wait(seconds: 10) { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.contains(".partial-") } }
        #expect(staged, "no staging file appeared")
        #expect(report.finish(signal: signal.number) == signal.status)
        #expect(report.process.terminationReason == signal.reason)
        shell.kill()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
    }
}
