import Foundation
import Testing

/// `bisect` and `minimize` end to end: what they print, their exit statuses, and the
/// reproducer running clean under `run`.
@Suite struct BisectCommandTests {
    static func recordLateAccess() throws -> String {
        let journal = RecordCommandTests.temporaryJournal()
        _ = try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--journal", journal, "--quiet",
                             "--iommu-mode", "lazy", "--inject", "late-access@1000"])
        return journal
    }

    /// The same recording, with what `record` printed.
    static func recordLateAccessWithOutput() throws -> ToolRun {
        try ToolRun.run(["record", "--workload", "nvme", "--ops", "3000", "--journal", RecordCommandTests.temporaryJournal(), "--quiet",
                         "--iommu-mode", "lazy", "--inject", "late-access@1000"])
    }

    @Test func bisectNamesTheFirstFindingAndMinimizeWritesARunnableReproducer() throws {
        let journal = try Self.recordLateAccess()
        let marked = try ToolRun.run(["query", journal, "SELECT seq FROM injections", "--format", "csv"])
        let seq = try #require(marked.stdout.split(separator: "\n").last.map(String.init))
        let bisect = try ToolRun.run(["bisect", journal, "--until", "finding=use-after-destroy"])
        #expect(bisect.status == 0, "\(bisect.stderr)")
        #expect(bisect.stdout.hasPrefix("first op where finding=use-after-destroy holds: seq \(seq) ("))
        #expect(bisect.stdout.contains("violation use-after-destroy"))

        let output = journal + ".repro.ops"
        let minimize = try ToolRun.run(["minimize", journal, "--until", "finding", "-o", output])
        #expect(minimize.status == 0, "\(minimize.stderr)")
        let run = try ToolRun.run(["run", output, "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test func aPredicateThatNeverHoldsExitsOne() throws {
        let journal = try Self.recordLateAccess()
        let bisect = try ToolRun.run(["bisect", journal, "--until", "finding=double-free"])
        #expect(bisect.status == 1)
        #expect(bisect.stderr == "dmajournal: \(journal): 'finding=double-free' never holds, even after the last op\n")
    }

    @Test func badPredicatesAndOverridesAreBadInput() throws {
        let journal = try Self.recordLateAccess()
        let predicate = try ToolRun.run(["bisect", journal, "--until", "finding=nonsense"])
        #expect(predicate.status == 2)
        #expect(predicate.stderr == "dmajournal: --until: unknown misuse class 'nonsense'\n")
        // swiotlb-size on a journal without a pool boots with one (replay.md); force off has nothing to turn off.
        let override = try ToolRun.run(["replay", journal, "--with", "swiotlb-force=off"])
        #expect(override.status == 2)
        #expect(override.stderr == "dmajournal: \(journal): --with swiotlb-force=off changes nothing: the journal declares no matching swiotlb\n")
        let size = try ToolRun.run(["replay", journal, "--with", "swiotlb-size=3K"])
        #expect(size.status == 2)
        #expect(size.stderr.contains("--with swiotlb-size=3K: swiotlb size must be a positive multiple of 256K"), "\(size.stderr)")
        let both = try ToolRun.run(["bisect", journal, "--until", "fault", "--run", "true"])
        #expect(both.status == 2)
    }

    /// With checkpoints, bisect reads the fault and finding tallies of checkpoint states to
    /// find the last one before the event and replays one interval, not the prefix.
    @Test func bisectStartsFromTheLastCheckpointBeforeTheFinding() throws {
        let journal = RecordCommandTests.temporaryJournal()
        _ = try ToolRun.run(["record", "--workload", "nvme", "--ops", "6000", "--journal", journal, "--quiet",
                             "--iommu-mode", "lazy", "--inject", "late-access@4000", "--checkpoint-every", "500"])
        let marked = try ToolRun.run(["query", journal, "SELECT seq FROM injections", "--format", "csv"])
        let seq = try #require(marked.stdout.split(separator: "\n").last.flatMap { Int($0) })
        let bisect = try ToolRun.run(["bisect", journal, "--until", "finding"])
        #expect(bisect.status == 0, "\(bisect.stderr)")
        #expect(bisect.stdout.hasPrefix("first op where finding holds: seq \(seq) ("), "\(bisect.stdout)")
        let replayed = bisect.stdout.components(separatedBy: " ops from checkpoint auto:")
        #expect(replayed.count == 2, "\(bisect.stdout)")
        let count = try #require(replayed.first?.split(separator: " ").last.flatMap { Int($0) })
        #expect(count <= 500)
    }
}
