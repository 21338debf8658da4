import DMASim
import Journal
import OpScript
@testable import Replay
import Pipeline
import Testing
import Workloads

/// The `oops` outcome (`bounce-outside-direct-map`) recorded by the `hidden-memory`
/// workload is an outcome like any other: replay reproduces it, bisect finds it, minimize
/// keeps it. The untrusted device's unaligned link bounces its head
/// (`dma_iova_link()` → `iommu_dma_iova_link_swiotlb()` → `iommu_dma_map_swiotlb()` →
/// `swiotlb_tbl_map_single()`), whose copy from the shared region never returns.
@Suite struct OopsOutcomeReplayTests {
    static func recordOops() throws -> (path: String, marked: Int) {
        let options = WorkloadOptions(seed: 7, opCount: 3000, injections: [try InjectionSpec(parsing: "unaligned-bounce@1000")])
        let (path, injected) = try ReplayerTests.recordWithMarks(.hiddenMemory, options: options)
        return (path, try #require(injected.first))
    }

    @Test func replayReproducesTheOopsAndBisectFindsIt() throws {
        let (path, marked) = try Self.recordOops()
        let reader = try JournalReader(path: path)
        #expect(try Replayer(reader: reader).replay().divergence == nil)
        let oopsed = try reader.readAll().filter { $0.outcome.status == .oops }
        #expect(oopsed.count == 1)
        let oops = try #require(oopsed.first)
        #expect(oops.seq > marked)
        guard case .link = oops.op.call else { Issue.record("oopsed at \(oops.op)"); return }
        #expect(oops.outcome.findings.map(\.misuse) == [.bounceOutsideDirectMap])
        let result = try Bisector(reader: reader).bisect(.finding(.bounceOutsideDirectMap))
        #expect(result.verdict == .firstBad(oops.seq))
    }

    @Test func minimizeKeepsTheOops() throws {
        let (path, _) = try Self.recordOops()
        let reproducer = try Minimizer(reader: JournalReader(path: path)).minimize(.finding(.bounceOutsideDirectMap))
        #expect(reproducer.opCount <= 8, "\(reproducer.script)")
        #expect(reproducer.script.contains("untrusted"))
        #expect(reproducer.script.contains("=> oops, violation bounce-outside-direct-map"))
        let script = try ScriptParser().parse(reproducer.script, fileName: "repro.ops")
        guard case .completed = try ScriptExecutor().run(script, { _ in }) else { Issue.record("does not check itself:\n\(reproducer.script)"); return }
    }
}
