import Testing
@testable import TraceImport

/// A completion interrupt inside a streaming map: `iommu_dma_map_phys()` →
/// `__iommu_dma_map()` allocates the IOVA (`iommu_dma_alloc_iova()`) before it maps it
/// (`iommu_map()`, which traces `iommu:map`) and before `dma_map_phys()` traces, so an
/// interrupt whose unmaps come between the task's previous event and its `iommu:map` may
/// have come after the allocation. In strict mode `free_iova_fast()` puts each freed IOVA
/// on top of the CPU's magazine: a map that got another IOVA of that size allocated
/// first, and its call goes before the interrupt (as in a fresh virtio-strict capture,
/// lines 15632-15637: `fixtures/kernel-captures/7.3-virtio-iommu-strict-nvme-first-15650-lines.txt.gz`).
@Suite struct StreamingMapInterruptTests {
    static let header = "# cmdline: console=ttyS0 iommu.strict=1 trace_buf_size=64M"

    /// Maps A (0xffffe000) and B (0xffffd000), then A's completion interrupts the kworker
    /// before its map of C at `iova`.
    static func trace(mapsCAt iova: String) -> String {
        """
        \(header)
            kworker/0:0H-10      [000] .....     9.000100: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000001000000 size=4096
            kworker/0:0H-10      [000] .....     9.000110: dma_map_phys: 0000:00:02.0 dir=FROM_DEVICE dma_addr=ffffe000 size=4096 phys_addr=1000000 attrs=
            kworker/0:0H-10      [000] .....     9.000200: map: IOMMU: iova=0x00000000ffffd000 - 0x00000000ffffe000 paddr=0x0000000002000000 size=4096
            kworker/0:0H-10      [000] .....     9.000210: dma_map_phys: 0000:00:02.0 dir=FROM_DEVICE dma_addr=ffffd000 size=4096 phys_addr=2000000 attrs=
            kworker/0:0H-10      [000] d.h2.     9.000300: unmap: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 size=4096 unmapped_size=4096
            kworker/0:0H-10      [000] d.h2.     9.000310: dma_unmap_phys: 0000:00:02.0 dir=FROM_DEVICE dma_addr=ffffe000 size=4096 attrs=
            kworker/0:0H-10      [000] .....     9.000310: map: IOMMU: iova=0x00000000\(iova) - 0x00000000\(String(UInt64(iova, radix: 16)! + 0x1000, radix: 16)) paddr=0x0000000003000000 size=4096
            kworker/0:0H-10      [000] .....     9.000400: dma_map_phys: 0000:00:02.0 dir=FROM_DEVICE dma_addr=\(iova) size=4096 phys_addr=3000000 attrs=
        """
    }

    static func order(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT o.kind, o.handle, printf('0x%x', coalesce(x.out_address, x.address)) FROM op_log o JOIN ops x USING (seq)
            WHERE o.kind IN ('map', 'unmap') ORDER BY seq
            """)
    }

    @Test func aMapThatGotAnotherIOVAGoesBeforeTheInterrupt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(mapsCAt: "ffffc000"))
        #expect(try Self.order(journal) == [["map", "m1", "0xffffe000"], ["map", "m2", "0xffffd000"],
                                            ["map", "m3", "0xffffc000"], ["unmap", "m1", "0xffffe000"]])
        #expect(summary.disagreements == 0)
        let note = try ImportFixture.rows(journal, "SELECT i.note FROM imported_ops i JOIN op_log o USING (seq) WHERE o.handle = 'm3'")
        #expect(note.first?.first?.contains("placed before the interrupt") == true)
    }

    /// The IOVA the interrupt freed can only have been allocated after it: the order stays.
    @Test func aMapOfTheFreedIOVAStaysAfterTheInterrupt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(mapsCAt: "ffffe000"))
        #expect(try Self.order(journal) == [["map", "m1", "0xffffe000"], ["map", "m2", "0xffffd000"],
                                            ["unmap", "m1", "0xffffe000"], ["map", "m3", "0xffffe000"]])
        #expect(summary.disagreements == 0)
    }
}
