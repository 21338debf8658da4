import DMASim
import Foundation
import Journal
import OpScript
import Pipeline
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

    /// A machine line, CPUs and kernel times: a reproducer must keep where and when.
    static let timed = """
        machine arch=arm64 kernel=6.16 cpus=4 hz=1000
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=lazy
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        alloc  s1 dev=nvme0 phys=0x100000000000 size=8K cpu=2 time=12.094264s
        link   s1 phys=0x100000000000 len=8K dir=from-device cpu=2 time=12.094265s
        dev-write nvme0 addr=s1 len=4K fill=seed:1 time=12.0943s
        destroy s1 mapped=8K dir=from-device cpu=3 time=12.1s
        advance 10ms cpu=1
        dev-write nvme0 addr=s1 len=4K fill=seed:2 time=12.1105s
        """

    @Test(arguments: ["twoDevices", "overlapping", "timed"])
    func theScriptsOpsAreTheJournalsOps(_ name: String) throws {
        let scripts = ["twoDevices": TestJournal.twoDevices, "overlapping": TestJournal.overlapping(count: 30), "timed": Self.timed]
        let journal = try TestJournal.record(scripts[name]!)
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

    @Test func cpusTimesAndTheMachineAreKept() throws {
        let lines = try Self.exportedScript(try TestJournal.record(Self.timed)).split(separator: "\n")
        #expect(lines.contains("machine arch=arm64 kernel=6.16 cpus=4 hz=1000 => ok"))
        #expect(lines.contains("alloc s1 dev=nvme0 phys=0x100000000000 size=8K cpu=2 time=12.094264s => ok iova=0xffffe000"))
        #expect(lines.contains("advance 10ms cpu=1 => ok"))
        // 6.16's lazy destroy left the IOTLB entry, and its fq_timer (10 ms, +1 jiffy: 12.111 s
        // at HZ 1000) has not fired yet: the late write lands.
        #expect(lines.contains("dev-write nvme0 addr=s1 len=4K fill=seed:2 time=12.1105s => ok, violation use-after-destroy"))
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
