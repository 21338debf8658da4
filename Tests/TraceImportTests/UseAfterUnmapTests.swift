import Foundation
import Testing
@testable import TraceImport

/// The issue's use-after-unmap: a map, its unmap, then a fault on the same IOVA. The
/// journal's own `faults-after-unmap` query (the one a simulated run uses) names the
/// unmap, whichever trace format carried the three events.
@Suite struct UseAfterUnmapTests {
    /// `faults-after-unmap`: fault seq, device, last handle, mapped seq, unmapped seq, verdict.
    static func faultsAfterUnmap(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT fault_seq, device, last_handle, mapped_seq, unmapped_seq, verdict
            FROM (\(try namedSQL(journal, "faults-after-unmap")))
            """)
    }

    static func namedSQL(_ journal: String, _ name: String) throws -> String {
        try #require(try ImportFixture.rows(journal, "SELECT sql FROM named_queries WHERE name = '\(name)'").first?.first)
    }

    @Test func dmaEventsThenAnIOPageFault() throws {
        let (journal, _) = try ImportFixture.importing(text: """
            # tracer: nop
                 kworker/0:1-42      [000] ..... 100.000100: dma_map_page: 0000:00:14.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=1234000 attrs=
                 kworker/0:1-42      [000] ..... 100.000300: dma_unmap_page: 0000:00:14.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 attrs=
                      <idle>-0       [001] d.h1. 100.000400: io_page_fault: IOMMU:xhci_hcd 0000:00:14.0 iova=0x00000000fffff800 flags=0x0001
            """)
        #expect(try Self.faultsAfterUnmap(journal) == [["2", "0000:00:14.0", "m1", "0", "1", "after-unmap"]])
        let unmap = try ImportFixture.rows(journal, "SELECT kind, source_format, kernel_naming, line FROM imported_log WHERE seq = 1")
        #expect(unmap == [["unmap", "ftrace", "dma_unmap_page", "3"]])
        let findings = try ImportFixture.rows(journal, "SELECT seq, class, handle FROM findings")
        #expect(findings == [["2", "use-after-unmap", "m1"]])
    }

    /// A real trace (fixtures/traces/ftrace-ath12k-…): dma_alloc, dma_free, then the
    /// device faults on the freed buffer; the iommu:map/unmap of the same buffer sit beside
    /// them and are part of those two calls (kernel/dma/mapping.c `dma_alloc_attrs`,
    /// `dma_free_attrs`), not calls of their own.
    @Test func theAth12kTraceFromTheMailingList() throws {
        let (journal, _) = try ImportFixture.importing([ImportFixture.trace("ftrace-ath12k-dma-free-then-io-page-fault.txt")])
        #expect(try Self.faultsAfterUnmap(journal) == [["2", "0000:c2:00.0", "m1", "0", "1", "after-unmap"]])
        let unmap = try ImportFixture.rows(journal, "SELECT kernel_naming, line, time, task, pid, cpu FROM imported_log WHERE seq = 1")
        #expect(unmap == [["dma_free", "11", "327.747763", "kworker/u64:0", "12", "11"]])
    }

    /// iommu:map and iommu:unmap name no device; the faulting device shares their space.
    @Test func iommuEventsThenAnIOPageFault() throws {
        let (journal, _) = try ImportFixture.importing(text: """
                        bash-1234  [002] d..2.  50.000001: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000123456000 size=4096
                        bash-1234  [002] d..2.  50.000002: unmap: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 size=4096 unmapped_size=4096
                      <idle>-0     [003] d.h1.  50.000003: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000ffffe010 flags=0x0000
            """)
        #expect(try Self.faultsAfterUnmap(journal) == [["2", "0000:01:00.0", "m1", "0", "1", "after-unmap"]])
        let domains = try ImportFixture.rows(journal, "SELECT device, domain FROM device_domains ORDER BY device")
        #expect(domains == [["0000:01:00.0", "iommu/unattributed"], ["unattributed", "iommu/unattributed"]])
    }

    /// The map and unmap in an ftrace file, the fault in a dmesg file: merged by time since
    /// boot, the fault lands after the unmap even though its file comes first, and the
    /// DMAR report's `00:14.0` resolves to the ftrace's `0000:00:14.0`.
    @Test func ftraceAndDmesgMergedByTime() throws {
        let directory = ImportFixture.directory()
        let dmesg = try ImportFixture.write("""
            [  200.000200] DMAR: [DMA Write NO_PASID] Request device [00:14.0] fault addr 0xfffe1000 [fault reason 0x05] PTE Write access is not set
            [  200.000400] DMAR: [DMA Write NO_PASID] Request device [00:14.0] fault addr 0xffffe000 [fault reason 0x05] PTE Write access is not set
            """, named: "dmesg.txt", in: directory)
        let ftrace = try ImportFixture.write("""
                 kworker/0:1-42      [000] .....   200.000100: dma_map_page: 0000:00:14.0 dir=TO_DEVICE dma_addr=ffffe000 size=8192 phys_addr=5000000 attrs=
                 kworker/0:1-42      [000] .....   200.000300: dma_unmap_page: 0000:00:14.0 dir=TO_DEVICE dma_addr=ffffe000 size=8192 attrs=
            """, named: "trace.txt", in: directory)
        let (journal, summary) = try ImportFixture.importing([dmesg, ftrace], in: directory)
        #expect(summary.mergedByTime)
        let order = try ImportFixture.rows(journal, "SELECT seq, source, kernel_naming FROM imported_log ORDER BY seq")
        #expect(order.map { $0[2] } == ["dma_map_page", "dmar_fault_no_pasid", "dma_unmap_page", "dmar_fault_no_pasid"])
        #expect(try Self.faultsAfterUnmap(journal) == [["3", "0000:00:14.0", "m1", "0", "2", "after-unmap"]])
        // The fault while the TO_DEVICE buffer was mapped is a permission fault: the
        // report's reason 5 says only "PTE Write access is not set".
        let kinds = try ImportFixture.rows(journal, "SELECT fault_seq, fault_kind, verdict FROM fault_history ORDER BY fault_seq")
        #expect(kinds == [["1", "not-present", "never-mapped"], ["3", "not-present", "after-unmap"]])
    }

    @Test func aFaultWhileMappedIsAPermissionFault() throws {
        let (journal, _) = try ImportFixture.importing(text: """
            [  1.000100] x: ok
                 kworker/0:1-42      [000] .....   1.000100: dma_map_page: 0000:00:14.0 dir=TO_DEVICE dma_addr=ffffe000 size=8192 phys_addr=5000000 attrs=
            [  1.000200] DMAR: [DMA Write NO_PASID] Request device [00:14.0] fault addr 0xfffff000 [fault reason 0x05] PTE Write access is not set
            """)
        let faults = try ImportFixture.rows(journal, "SELECT fault_kind, last_handle, verdict FROM fault_history")
        #expect(faults == [["permission", "m1", "while-mapped"]])
        let note = try ImportFixture.rows(journal, "SELECT note FROM imported_ops WHERE kernel_naming = 'dmar_fault_no_pasid'")
        #expect(note == [["fault kind not in the report: permission, m1 still mapped the address"]])
    }
}
