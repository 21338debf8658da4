import Foundation
import Testing

/// `dmajournal run --journal` then `dmajournal query`, end to end through the binary.
@Suite struct QueryCommandTests {
    /// A journal of the quickstart, recorded by the tool itself.
    static func recordQuickstart() throws -> String {
        try ToolRun.journal(of: "quickstart.ops", prefix: "quickstart")
    }

    @Test func theNamedQueryFindsTheFaultAfterTheUnmap() throws {
        let journal = try Self.recordQuickstart()
        let query = try ToolRun.run(["query", journal, "--named", "faults-after-unmap", "--format", "csv"])
        #expect(query.status == 0)
        let rows = query.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.prefix(5).joined(separator: ",") == "fault_seq,device,fault_kind,fault_address,last_handle")
        #expect(rows.count == 2)
        // The write after the flush faults; its last mapping is m1, mapped at seq 15, unmapped at 18.
        #expect(rows[1].prefix(7).joined(separator: ",") == "23,nvme0,not-present,4294942720,m1,15,18")
    }

    @Test func userSQLSeesEveryOpInOrder() throws {
        let journal = try Self.recordQuickstart()
        let query = try ToolRun.run(["query", journal, "SELECT count(*) AS n, max(seq) AS last FROM ops", "--format", "json"])
        #expect(query.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(query.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.first?["n"] as? Int == 24)
        #expect(rows?.first?["last"] as? Int == 23)
    }

    @Test func writesAreRefusedAndTheFileIsUnchanged() throws {
        let journal = try Self.recordQuickstart()
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let query = try ToolRun.run(["query", journal, "DROP TABLE ops"])
        #expect(query.status == 2)
        #expect(query.stderr == "dmajournal: \(journal): journals are opened read-only; refused: DROP TABLE ops\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
    }

    @Test func anExistingJournalIsNotOverwrittenWithoutForce() throws {
        let journal = try Self.recordQuickstart()
        let again = try ToolRun.run(["run", "--quiet", "--journal", journal, "fixtures/scripts/quickstart.ops"])
        #expect(again.status == 2)
        #expect(again.stderr == "dmajournal: \(journal): already exists; refusing to overwrite it without --force\n")
        let forced = try ToolRun.run(["run", "--quiet", "--force", "--journal", journal, "fixtures/scripts/quickstart.ops"])
        #expect(forced.status == 0)
    }

    @Test func aFailingRunStillJournalsWhatRan() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("fail-\(UUID().uuidString).ops")
        try """
            region shm0 base=0x100000000000 size=1T kind=shared
            iommu mmu0 mode=strict
            device nvme0 iommu=mmu0 dma-bits=64 coherent
            alloc s1 dev=nvme0 phys=0x100000000000 size=4K => iova=0x1000
            alloc s2 dev=nvme0 phys=0x100000000000 size=4K
            """.write(to: script, atomically: true, encoding: .utf8)
        let journal = script.deletingPathExtension().path + ".db"
        let run = try ToolRun.run(["run", "--quiet", "--journal", journal, script.path])
        #expect(run.status == 1)
        let query = try ToolRun.run(["query", journal, "SELECT count(*) FROM ops", "--format", "csv"])
        #expect(query.stdout == "count(*)\n4\n")
    }
}

extension QueryCommandTests {
    @Test func aParameterWithoutAValueIsBadInput() throws {
        let journal = try Self.recordQuickstart()
        let query = try ToolRun.run(["query", journal, "--named", "mapped-at", "--param", "iova"])
        #expect(query.status == 2)
        #expect(query.stderr == "dmajournal: --param iova: expected NAME=VALUE, e.g. iova=0xffffd000\n")
        let mapped = try ToolRun.run(["query", journal, "--named", "mapped-at", "--param", "iova=0xffffc000", "--param", "seq=8",
                                      "--format", "csv"])
        #expect(mapped.status == 0)
        #expect(mapped.stdout.contains("s1"))
    }
}
