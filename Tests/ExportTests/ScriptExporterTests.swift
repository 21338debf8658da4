import DMASim
import Foundation
import Journal
import OpScript
import Testing
@testable import Export

/// The exported script is the journal: its ops parse back to the journal's ops, and its
/// claims hold when it runs again.
@Suite struct ScriptExporterTests {
    static func exportedScript(_ journal: String) throws -> String {
        let path = TestJournal.temporaryPath("exported.ops")
        _ = try ScriptExporter(journalPath: journal).export(to: try TextOutput(path: path))
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test(arguments: ["twoDevices", "overlapping"])
    func theScriptsOpsAreTheJournalsOps(_ name: String) throws {
        let journal = try TestJournal.record(name == "twoDevices" ? TestJournal.twoDevices : TestJournal.overlapping(count: 30))
        let script = try ScriptParser().parse(try Self.exportedScript(journal), fileName: "exported.ops")
        #expect(script.ops == (try JournalReader(path: journal).readAll().map(\.op)))
    }

    @Test func everyClaimHoldsWhenTheScriptRunsAgain() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let script = try ScriptParser().parse(try Self.exportedScript(journal), fileName: "exported.ops")
        #expect(script.lines.allSatisfy { !$0.claims.isEmpty })
        var failures: [String] = []
        let ending = try ScriptExecutor().run(script) { result in
            if !result.failedClaims.isEmpty { failures.append("line \(result.line.lineNumber): \(result.failedClaims)") }
        }
        #expect(failures == [])
        guard case .completed = ending else {
            Issue.record("the run stopped: \(ending)")
            return
        }
    }

    /// The claims are the recorded outcome, so a changed journal is caught by the run.
    @Test func aClaimSaysWhatTheJournalRecorded() throws {
        let journal = try TestJournal.record(TestJournal.twoDevices)
        let lines = try Self.exportedScript(journal).split(separator: "\n")
        #expect(lines.contains("dev-read nvme0 addr=s1 len=4K => fault not-present, violation use-after-destroy"))
        #expect(lines.contains("alloc s2 dev=nvme0 phys=0x100000020000 size=16K => ok iova=0xffffc000"))
        #expect(lines.first?.hasPrefix("# exported by dmajournal export --format script from ") == true)
    }

    @Test func aNameTheScriptCannotSpellIsRefused() throws {
        let journal = TestJournal.temporaryPath("imported.db")
        let writer = try JournalWriter(path: journal, run: TestJournal.run)
        try writer.record(.iommu(IOMMUSpec(name: "0000:00:02.0")), outcome: Engine().apply(.iommu(IOMMUSpec(name: "0000:00:02.0"))),
                          sequence: 0, sourceLine: nil)
        try writer.finish()
        #expect(throws: ExportError.unscriptableName(path: journal, kind: "iommu", name: "0000:00:02.0")) {
            try Self.exportedScript(journal)
        }
    }
}
