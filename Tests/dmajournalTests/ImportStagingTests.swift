import Foundation
import Testing

/// An import writes `J.importing` and moves it into place (JournalFile); what a run
/// killed with SIGKILL left there — the one signal no handler sees — goes with the next
/// import of the same journal.
@Suite struct ImportStagingTests {
    @Test func aKilledRunsLeftoversGoWithTheNextImport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let journal = directory.appendingPathComponent("j.db").path
        for suffix in ["", "-wal", "-shm", "-journal"] {
            FileManager.default.createFile(atPath: journal + ".importing" + suffix, contents: Data("half-written".utf8))
        }
        let run = try ToolRun.run(["import", ImportCommandTests.dmesg, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["j.db"])
    }
}
