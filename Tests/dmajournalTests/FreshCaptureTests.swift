import Foundation
import Testing

/// Fresh single-vCPU captures from the kernel lab (issue 14's held-out robustness): runs
/// made after the model was written, with other timings and workloads, each cut to the
/// lines around the case it pins. Each imports and replays in agreement with the kernel at
/// every op, IOVAs included, with no finding.
@Suite struct FreshCaptureTests {
    /// `WORKLOAD=quick capture.sh virtio-lazy`, its first 1,799 lines.
    static let lateTimer = "fixtures/kernel-captures/7.3-virtio-iommu-lazy-nvme-quick-first-1799-lines.txt"

    /// `capture.sh virtio-strict` (the mix workload), its first 15,650 lines, gzip'd.
    static let mapAcrossInterrupt = "fixtures/kernel-captures/7.3-virtio-iommu-strict-nvme-first-15650-lines.txt.gz"

    /// `MEM=3G WORKLOAD=quick capture.sh intel-lazy` (with `APPEND=no_timer_check`), whole,
    /// gzip'd: q35 puts RAM above 2 GiB past 4 GiB, so every buffer the trace maps lies
    /// above 4 GiB, and the kernel keeps its swiotlb pool ("PCI-DMA: Using software bounce
    /// buffering for IO (SWIOTLB)").
    static let aboveFourGiB = "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-quick-mem3g.txt.gz"

    /// `MEM=4G WORKLOAD=quick capture.sh virtio-lazy`, whole, gzip'd.
    static let aboveFourGiBVirtio = "fixtures/kernel-captures/7.3-virtio-iommu-lazy-nvme-quick-mem4g.txt.gz"

    static let captures: [(file: String, ops: Int)] = [
        (lateTimer, 1776),
        (mapAcrossInterrupt, 16248),
        (aboveFourGiB, 2821),
        (aboveFourGiBVirtio, 2817),
    ]

    @Test(arguments: captures.map(\.file))
    func aFreshCaptureAgreesAtEveryOp(_ capture: String) throws {
        let journal = TraceReplayTests.temporary(".db")
        let run = try ToolRun.run(["import", capture, "--journal", journal, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(" 0 findings;"), "\(run.stdout)")
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        let ops = try #require(Self.captures.first { $0.file == capture }).ops
        #expect(replay.stdout == "\(ops) ops of the kernel trace ran on the model, which agrees with the kernel at each one\n")
    }

    /// `fq_timer` ran 32 ms after `queue_iova()` armed it (drivers/iommu/dma-iommu.c): the
    /// unmap at 18.751660 (line 1786) queued 0xfffdf000 and armed it, due 12-16 ms later;
    /// at 18.783185 (line 1792) the map still got 0xffe9f000, which the previous run had
    /// freed into the magazine under 0xffffc000, queued since (line 1790): had the timer run,
    /// `fq_flush_timeout()` would have put 0xffffc000 on top (magazines are LIFO). It ran
    /// before 18.784265 (line 1796), whose map got back the IOVA line 1794 queued. So no
    /// flush is assumed from the clock: only the IOVA at line 1796 places one.
    @Test func theFlushTimerRunsWhereAnIOVAShowsItNotAtATimeLimit() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: Self.lateTimer)
        let map = try #require(lines.firstIndex { $0.hasSuffix("first-1799-lines.txt:1792 dma_map_phys") })
        #expect(lines[map].contains("time=18.783185s => completed iova=0xffe9f750"))
        #expect(!lines[map - 1].hasPrefix("flush "), "\(lines[map - 1])")
        let flushes = lines.filter { $0.hasPrefix("flush ") && ($0.hasSuffix(":1784 fq_flush_timeout") || $0.contains(".txt:179")) }
        #expect(flushes == [
            "flush iommu dev=dev-0000:00:02.0 at=18.731026s time=18.750966s => completed  # 7.3-virtio-iommu-lazy-nvme-quick-first-1799-lines.txt:1784 fq_flush_timeout",
            "flush iommu dev=dev-0000:00:02.0 at=18.783769s time=18.784265s => completed  # 7.3-virtio-iommu-lazy-nvme-quick-first-1799-lines.txt:1796 fq_flush_timeout",
        ])
    }

    /// A completion interrupt (lines 15632-15635, `d.h2.` in the kworker) came after
    /// `iommu_dma_map_phys()` allocated 0xffebf000 and before it mapped and traced it (line
    /// 15636): 0xffebe000, which the interrupt freed, would have been on top of the
    /// magazine (`free_iova_fast()`) for an allocation after it. The map goes first.
    @Test func aStreamingMapGoesBeforeTheInterruptThatCameAfterItsAllocation() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: Self.mapAcrossInterrupt)
        let map = try #require(lines.firstIndex { $0.hasSuffix("first-15650-lines.txt.gz:15636 dma_map_phys") })
        #expect(lines[map].contains("=> completed iova=0xffebf000"), "\(lines[map])")
        #expect(lines[map + 1] == "mapping-error m978")
        #expect(lines[map + 2].hasSuffix(":15632 iommu_unmap"), "\(lines[map + 2])")
        #expect(lines[map + 3].hasSuffix(":15634 dma_unmap_phys"), "\(lines[map + 3])")
    }

    /// Every buffer of the 3 GiB and 4 GiB guests lies above 4 GiB, and every IOVA below it:
    /// `iommu_dma_alloc_iova()` (drivers/iommu/dma-iommu.c) tries "all the 32-bit PCI
    /// addresses first" for a PCI device, whatever the physical address, and the model
    /// hands out the kernel's IOVAs there too (the replay compares each).
    @Test(arguments: [aboveFourGiB, aboveFourGiBVirtio])
    func buffersAboveFourGiBGetIOVAsBelowIt(_ capture: String) throws {
        let journal = TraceReplayTests.temporary(".db")
        #expect(try ToolRun.run(["import", capture, "--journal", journal, "--quiet"]).status == 0)
        let query = try ToolRun.run(["query", journal, "--format", "csv", """
            SELECT count(*) > 2000, sum(phys < 4294967296), max(iova + length) <= 4294967296 FROM mapped_ranges
            """])
        #expect(query.stdout.split(separator: "\n").last == "1,0,1", "\(query.stdout)")
    }
}
