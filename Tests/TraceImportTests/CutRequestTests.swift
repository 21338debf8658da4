import Testing
@testable import TraceImport

/// A capture cut short (`head -c`, a full disk, a paste) can end inside a two-step
/// request: its links are there, the `iommu:unmap` of `dma_iova_destroy()` that says the
/// allocation's size is not. `dma_iova_try_alloc()` allocated `iova_align(size + offset)`
/// for the whole request and `alloc_iova_fast()` rounded that up to a power of two, taking
/// the magazine of that order (drivers/iommu/dma-iommu.c, iova.c): the size decides the
/// IOVA, and the links give only a lower bound of it. The rebuilt try_alloc keeps the
/// kernel's IOVA in the journal but claims none of it.
@Suite struct CutRequestTests {
    static let trace = """
        # cmdline: console=ttyS0 intel_iommu=on iommu.strict=1 trace_buf_size=64M
            kworker/0:0H-10      [000] .....     9.000100: map: IOMMU: iova=0x00000000fffff000 - 0x0000000100000000 paddr=0x0000000001000000 size=4096
            kworker/0:0H-10      [000] .....     9.000110: dma_map_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=1000000 attrs=
            kworker/0:0H-10      [000] .....     9.000200: map: IOMMU: iova=0x00000000ffffc000 - 0x00000000ffffd000 paddr=0x0000000002000000 size=4096
            kworker/0:0H-10      [000] .....     9.000210: map: IOMMU: iova=0x00000000ffffd000 - 0x00000000ffffe000 paddr=0x0000000003000000 size=4096
                  <idle>-0       [000] d.h1.     9.000300: unmap: IOMMU: iova=0x00000000ffffc000 - 0x00000000ffffe000 size=8192 unmapped_size=8192
            kworker/0:0H-10      [000] .....     9.000400: map: IOMMU: iova=0x00000000ffffc000 - 0x00000000ffffd000 paddr=0x0000000004000000 size=4096
        """

    @Test func aRequestTheTraceEndsInsideClaimsNoIOVA() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace)
        // Given 4 KiB, the model would take 0xffffe000, the page between the two ranges.
        #expect(summary.disagreements == 0)
        let allocs = try ImportFixture.rows(journal, """
            SELECT o.handle, printf('0x%x', x.out_address), x.length, coalesce(x.claims, '') FROM op_log o JOIN ops x USING (seq)
            WHERE o.kind = 'alloc' ORDER BY seq
            """)
        #expect(allocs.count == 2)
        #expect(allocs.first == ["s1", "0xffffc000", "8192", "completed iova=0xffffc000"])
        #expect(allocs.last == ["s2", "0xffffc000", "4096", "completed"])
        let note = try ImportFixture.rows(journal, "SELECT i.note FROM imported_ops i JOIN op_log o USING (seq) WHERE o.handle = 's2' AND o.kind = 'alloc'")
        #expect(note.first?.first?.contains("its IOVA, which the size decides, is not claimed") == true)
    }

    /// `TP_printk` of every dma event but the syncs ends with `attrs=` (include/trace/events/
    /// dma.h): a line without it was cut, and the value before the cut may be cut too.
    /// Here `phys_addr=32dd50` of 32dd5000 would map another page offset and the model would
    /// hand out another IOVA; the line is not understood instead, and its `iommu:map` stands
    /// as a request of its own that claims no IOVA.
    @Test func aDMAEventCutBeforeItsAttrsIsNotUnderstood() throws {
        let (journal, summary) = try ImportFixture.importing(text: """
            \(Self.trace.split(separator: "\n").prefix(3).joined(separator: "\n"))
                kworker/0:0H-10      [000] .....     9.000500: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000032dd5000 size=4096
                kworker/0:0H-10      [000] .....     9.000510: dma_map_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=ffffe000 size=4096 phys_addr=32dd50
            """)
        #expect(summary.notUnderstoodCount == 1)
        #expect(summary.sources.first?.notUnderstood.first?.reason.contains("dma_map_phys without a readable attrs") == true)
        #expect(summary.disagreements == 0)
        #expect(try ImportFixture.rows(journal, "SELECT count(*) FROM op_log WHERE kind = 'map'") == [["1"]])
    }
}
