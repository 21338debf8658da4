import Foundation
import Testing

/// Two-vCPU (`SMP=2`) captures from the kernel lab without timer events: where each run of
/// `fq_flush_timeout()` (drivers/iommu/dma-iommu.c) went is inferred from the IOVAs the
/// kernel handed out next (docs/import.md, "Lazy mode: when the flush-queue timer ran").
@Suite struct SMPCaptureTests {
    /// `SMP=2 APPEND=no_timer_check capture.sh intel-lazy` (the mix workload), its first
    /// 13,000 lines, gzip'd.
    static let intelLazy = "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-smp2-first-13000-lines.txt.gz"

    /// 0xfffb0000…0xffd55000, 22 one-page ranges queued on CPU 0 at 16.773796-16.777765 s
    /// (lines 12,366-12,450), were never handed out again; ffd54000…ffd3f000, queued after
    /// them, came back on CPU 0 from line 12,544 on, and at line 12,986 CPU 0 handed out
    /// 0xfffae000, which its magazine had held since 16.68 s. Had a run on CPU 0 freed the
    /// 22 (the CPU that armed the timer), `__iova_rcache_insert()` would have put them on
    /// top of 0xfffae000 and `__iova_rcache_get()` would have popped them first
    /// (drivers/iommu/iova.c): the run that freed them ran on CPU 1, between the last of
    /// them and 0xffd54000 (16.797706 s). The earlier rule put it on CPU 0 and parted there.
    @Test func aRunIsNotWhereItsCPUHandedOutWhatItWouldHaveBuried() throws {
        let (journal, _, lines) = try TraceReplayTests.simulation(of: Self.intelLazy)
        let moved = lines.filter { $0.hasPrefix("flush iommu dev=dev-0000:00:01.0 at=16.777765s") }
        #expect(moved == ["flush iommu dev=dev-0000:00:01.0 at=16.777765s cpu=1 time=16.814654s => completed  # 7.3-intel-iommu-lazy-nvme-smp2-first-13000-lines.txt.gz:12545 fq_flush_timeout"], "\(moved)")
        #expect(lines.contains { $0.hasPrefix("map m922 dev=dev-0000:00:01.0 phys=0xe4dd750 len=1536 dir=to-device time=16.956858s => completed iova=0xfffae750") })
        let note = try ToolRun.run(["query", journal, "SELECT note FROM imported_ops WHERE kernel_naming = 'fq_flush_timeout' AND cpu = 1 AND line = 12545", "--format", "csv"])
        #expect(note.stdout.contains("CPU 0 later handed out an IOVA its magazine held under what the run freed"), "\(note.stdout)")
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.hasSuffix("which agrees with the kernel at each one\n"), "\(replay.stdout)")
    }
}
