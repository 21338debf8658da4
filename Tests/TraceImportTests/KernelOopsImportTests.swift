import Testing
@testable import TraceImport

/// A kernel oops inside a DMA call: `BUG: unable to handle page fault` with
/// `swiotlb_tbl_map_single` in its call trace (the bounce copy through `phys_to_virt()` of
/// memory outside the direct map; the lab runs of 7.3.4, fixtures/scripts/lab/) becomes
/// the outcome `oops` of the call it interrupted: the two-step call whose entry probe has
/// no `_ret` (the task died inside `dma_iova_link()`, and `oops_enter()` turned tracing off).
@Suite struct KernelOopsImportTests {
    /// The report as the lab's console printed it (fixtures/oracle/misuse-bounce-outside-direct-map.console.log,
    /// lines 11-49, registers cut): `dma_iova_link` → `iommu_dma_iova_bounce_and_link` →
    /// `iommu_dma_map_swiotlb` → `swiotlb_tbl_map_single` → `memcpy_orig`.
    static let report = """
        [    3.666201] BUG: unable to handle page fault for address: ffff888130000200
        [    3.668679] #PF: supervisor read access in kernel mode
        [    3.668873] #PF: error_code(0x0000) - not-present page
        [    3.669110] PGD 19c01067 P4D 19c01067 PUD 19c02067 PMD 0
        [    3.669688] Oops: Oops: 0000 [#1] SMP NOPTI
        [    3.670281] CPU: 0 UID: 0 PID: 120 Comm: sh Tainted: G           OE       7.3.4+deb13-amd64 #1 PREEMPT(lazy)  Debian 7.3.4-1~bpo13+1
        [    3.671373] RIP: 0010:memcpy_orig+0x16/0x140
        [    3.673931] Call Trace:
        [    3.674103]  <TASK>
        [    3.674242]  swiotlb_tbl_map_single+0x79d/0x8a0
        [    3.674556]  iommu_dma_map_swiotlb+0x58/0x130
        [    3.674712]  iommu_dma_iova_bounce_and_link+0x43/0x140
        [    3.674878]  ? _kstrtoull+0x40/0xa0
        [    3.674996]  dma_iova_link+0x1e3/0x350
        [    3.675268]  op_link+0x152/0x1b0 [dmaoracle]
        [    3.675700]  </TASK>
        [    3.675800] CR2: ffff888130000200
        [    3.675900] ---[ end trace 0000000000000000 ]---
        """

    /// The probe events (format of ../shared/kernel-captures/7.3-intel-iommu-strict-nvme-iova-probes-edu-hidden-oracle-none.txt)
    /// of a try_alloc and a link of an unaligned hidden range, the link never returning.
    static let probes = """
                      sh-120     [000] .....     6.821134: dma_iova_try_alloc: (dma_iova_try_alloc+0x4/0x120) dev="0000:00:02.0" state=0xffffcf83c05dfcb8 phys=0x38000200 size=4096
                      sh-120     [000] ...1.     6.822244: dma_iova_try_alloc_ret: (hidden_two_step+0x77/0x63e [edu_iova] <- dma_iova_try_alloc) ret=1 state=0xffffcf83c05dfcb8 addr=0xffffe200 state_size=0x1000
                      sh-120     [000] ...2.     6.822693: dma_iova_link: (dma_iova_link+0x4/0x350) state=0xffffcf83c05dfcb8 addr=0xffffe200 phys=0x38000200 offset=0 size=4096 dir=1 attrs=0x0
        """

    static func statuses(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, "SELECT o.kind, o.status FROM op_log o WHERE o.kind IN ('alloc', 'link') ORDER BY seq")
    }

    @Test func theReportIsReadWithItsCallChain() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.report)
        #expect(summary.sources.first?.eventsByKind["oops"] == 1)
        #expect(try Self.statuses(journal).isEmpty)
    }

    /// A capture carries the report in its header (`# oops:` lines, before the trace):
    /// the link the trace shows entered and never left is the call that oopsed.
    @Test func aCapturesOopsLinesEndTheUnreturnedLink() throws {
        let header = Self.report.split(separator: "\n").map { "# oops: " + $0 }.joined(separator: "\n")
        let (journal, _) = try ImportFixture.importing(text: header + "\n" + Self.probes)
        #expect(try Self.statuses(journal) == [["alloc", "ok"], ["link", "oops"]])
    }

    /// A dmesg after the trace (the same task, pid 120): the same.
    @Test func aLogAfterTheTraceEndsTheUnreturnedLinkToo() throws {
        let (journal, _) = try ImportFixture.importing(text: Self.probes + "\n" + Self.report)
        #expect(try Self.statuses(journal) == [["alloc", "ok"], ["link", "oops"]])
    }

    /// Without an oops, a link the trace never saw return stays as its entry said.
    @Test func withoutAnOopsAnUnreturnedLinkIsOk() throws {
        let (journal, _) = try ImportFixture.importing(text: Self.probes)
        #expect(try Self.statuses(journal) == [["alloc", "ok"], ["link", "ok"]])
    }

    /// Another task's oops does not end this task's call.
    @Test func anotherTasksOopsLeavesTheLinkAlone() throws {
        let other = Self.report.replacingOccurrences(of: "PID: 120", with: "PID: 77")
        let (journal, _) = try ImportFixture.importing(text: Self.probes + "\n" + other)
        #expect(try Self.statuses(journal) == [["alloc", "ok"], ["link", "ok"]])
    }
}
