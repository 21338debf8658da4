import Foundation
import Testing

/// `dmajournal replay`, end to end: identical outcomes exit 0, a changed one exits 1 with
/// its sequence number, op line and both outcomes.
@Suite struct ReplayCommandTests {
    @Test func aRecordedScriptReplaysIdentically() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0)
        #expect(replay.stdout.hasPrefix("24 ops replayed, all outcomes identical; "))
    }

    @Test func aChangedOutcomeIsTheFirstDivergence() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let update = Process()
        update.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        update.arguments = [journal, "UPDATE ops SET out_address = out_address + 4096 WHERE seq = 5"]
        try update.run()
        update.waitUntilExit()
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 1)
        // The report on stdout, one line on stderr (issue 17 item 5: it all went to stderr).
        #expect(replay.stderr == "dmajournal: \(journal): replay diverged at seq 5, after 6 ops\n")
        let lines = replay.stdout.split(separator: "\n")
        #expect(lines.first == "seq 5: alloc s1 dev=nvme0 phys=0x100000010000 size=12K  (differs in address)")
        #expect(lines.dropFirst(1).first == "  recorded: ok iova=0xffffd000")
        #expect(lines.dropFirst(2).first == "  replayed: ok iova=0xffffc000")
    }

    /// A --with value the engine refuses is bad input, not a divergence.
    @Test(arguments: ["granule=3K", "fq-size=1"])
    func aRefusedOverrideIsBadInput(_ override: String) throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let replay = try ToolRun.run(["replay", journal, "--with", override])
        #expect(replay.status == 2, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.isEmpty)
        #expect(replay.stderr.hasPrefix("dmajournal: \(journal): --with "))
        #expect(replay.stderr.contains(" makes a declaration the engine refuses: iommu mmu0: "))
        #expect(replay.stderr.split(separator: "\n").count == 1)
    }

    @Test func jsonReportsTheDivergence() throws {
        let journal = try QueryCommandTests.recordQuickstart()
        let replay = try ToolRun.run(["replay", journal, "--with", "iommu-mode=strict", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
        #expect(object?["identical"] as? Bool == (replay.status == 0))
        #expect(object?["with"] as? [String] == ["iommu-mode=strict"])
    }

    /// `--with page-sizes=4K`: the journal of a partial unlink of a 2 MiB block, replayed
    /// without block PTEs, first diverges at that unlink (docs/replay.md).
    @Test func withoutBlockPTEsThePartialUnlinkDiverges() throws {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("usb-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let recorded = try ToolRun.run(["run", "fixtures/scripts/misuse/unlink-splits-block.ops", "--journal", journal, "--quiet"])
        #expect(recorded.status == 0)
        let replay = try ToolRun.run(["replay", journal, "--with", "page-sizes=4K"])
        #expect(replay.status == 1)
        #expect(replay.stderr == "dmajournal: \(journal): replay with page-sizes=4K diverged at seq 5, after 6 ops\n")
        #expect(replay.stdout == """
            seq 5: unlink s1 len=4K dir=bidirectional  (differs in findings)
              recorded: ok, violation unlink-splits-block
              replayed: ok

            """)
        #expect(try ToolRun.run(["replay", journal]).status == 0)
    }
}
