import Testing
@testable import TraceImport

/// One kernel call, one op: the events a call traces are folded into it, two-step
/// requests are rebuilt from their IOMMU events, and a call that did nothing makes no op.
/// The lines are from `../shared/kernel-captures/7.3-intel-iommu-strict-nvme.txt` (Linux
/// 7.3.4 under QEMU with VT-d) unless they say otherwise.
@Suite struct CallAssemblyTests {
    static func ops(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT o.kind, o.device, o.handle, printf('0x%x', coalesce(x.out_address, x.address)), x.length, x.phys
            FROM op_log o JOIN ops x USING (seq) WHERE o.kind NOT IN ('iommu', 'device') ORDER BY seq
            """)
    }

    /// kernel/dma/mapping.c `dma_map_phys` → drivers/iommu/dma-iommu.c `iommu_dma_map_phys`
    /// → `iommu_map` traces `iommu:map`, then `dma_map_phys` traces itself; `dma_unmap_phys`
    /// traces the `iommu:unmap` of `__iommu_dma_unmap` first. Two calls, not four.
    @Test func aStreamingMapAndItsIOMMUEventsAreOneCall() throws {
        let (journal, summary) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.648997: map: IOMMU: iova=0x00000000ffffd000 - 0x00000000ffffe000 paddr=0x0000000002ca9000 size=4096
                kworker/u4:0-12      [000] .....     6.649265: dma_map_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=ffffd000 size=4096 phys_addr=2ca9000 attrs=
                kworker/u4:0-12      [000] d.h1.     6.651673: unmap: IOMMU: iova=0x00000000ffffd000 - 0x00000000ffffe000 size=4096 unmapped_size=4096
                kworker/u4:0-12      [000] d.h1.     6.652460: dma_unmap_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=ffffd000 size=4096 attrs=
            """)
        #expect(try Self.ops(journal) == [["map", "0000:00:01.0", "m1", "0xffffd000", "4096", String(0x2ca9000)],
                                          ["unmap", "0000:00:01.0", "m1", "0xffffd000", "4096", "NULL"]])
        #expect(summary.findingCount == 0)
        let notes = try ImportFixture.rows(journal, "SELECT line, note FROM imported_ops ORDER BY seq")
        #expect(notes == [["2", "with the iommu:map event it caused (line 1)"], ["4", "with the iommu:unmap event it caused (line 3)"]])
    }

    /// A `dma_alloc` maps its pages, in as many chunks as the page allocator gave, before
    /// its one event; the chunks' physical address is the allocation's (the event has none).
    @Test func aMultiChunkAllocIsOneMap() throws {
        // ../shared lab capture intel-lazy, lines 96-98: 16 KiB in two 8 KiB chunks.
        let (journal, _) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.097086: map: IOMMU: iova=0x00000000ffff4000 - 0x00000000ffff6000 paddr=0x0000000006e36000 size=8192
                kworker/u4:0-12      [000] .....     6.097106: map: IOMMU: iova=0x00000000ffff6000 - 0x00000000ffff8000 paddr=0x0000000006f34000 size=8192
                kworker/u4:0-12      [000] .....     6.097229: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffff4000 size=16384 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
            """)
        #expect(try Self.ops(journal) == [["map", "0000:00:01.0", "m1", "0xffff4000", "16384", String(0x6e36000)]])
        let ranges = try ImportFixture.rows(journal, "SELECT printf('0x%x', iova), printf('0x%x', phys), length FROM mapped_ranges ORDER BY iova")
        #expect(ranges == [["0xffff4000", "0x6e36000", "8192"], ["0xffff6000", "0x6f34000", "8192"]])
    }

    /// `dma_free_attrs` traces the free before `if (!cpu_addr) return;` (kernel/dma/mapping.c):
    /// a NULL free, as NVMe's unbind makes, did nothing and makes no op.
    @Test func aNullFreeIsNoOp() throws {
        let (journal, summary) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.636916: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000006ee5000 size=4096
                kworker/u4:0-12      [000] .....     6.636999: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
                        init-1       [000] .l...    10.211844: dma_free: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=0 size=0 virt_addr=0000000000000000 attrs=
                        init-1       [000] .....    10.229947: dma_free: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) attrs=
                        init-1       [000] .....    10.229955: unmap: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 size=4096 unmapped_size=4096
            """)
        #expect(try Self.ops(journal) == [["map", "0000:00:01.0", "m1", "0xffffe000", "2048", String(0x6ee5000)],
                                          ["unmap", "0000:00:01.0", "m1", "0xffffe000", "2048", "NULL"]])
        #expect(summary.findingCount == 0)
    }

    /// NVMe maps a multi-segment request with the two-step API (block/blk-mq-dma.c
    /// `blk_rq_dma_map_iova`): no DMA API event, one `iommu:map` per `dma_iova_link` at
    /// consecutive IOVAs, and `dma_iova_destroy`'s one `iommu:unmap` of the whole request.
    /// Its completion interrupts the submitting task, so the unmap carries that task's pid.
    @Test func aTwoStepRequestIsRebuiltFromItsIOMMUEvents() throws {
        let (journal, summary) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.636916: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000006ee5000 size=4096
                kworker/u4:0-12      [000] .....     6.636999: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
                kworker/0:0H-10      [000] .....     7.284089: map: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc1000 paddr=0x00000000091c3000 size=4096
                kworker/0:0H-10      [000] .....     7.284100: map: IOMMU: iova=0x00000000fffc1000 - 0x00000000fffc3000 paddr=0x00000000091d6000 size=8192
                kworker/0:0H-10      [000] .....     7.284106: map: IOMMU: iova=0x00000000fffc3000 - 0x00000000fffc4000 paddr=0x00000000091cd000 size=4096
                kworker/0:0H-10      [000] d.h1.     7.284494: unmap: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc4000 size=16384 unmapped_size=16384
            """)
        #expect(try Self.ops(journal) == [
            ["map", "0000:00:01.0", "m1", "0xffffe000", "2048", String(0x6ee5000)],
            ["alloc", "0000:00:01.0", "s1", "0xfffc0000", "16384", String(0x91c3000)],
            ["link", "0000:00:01.0", "s1", "0xfffc0000", "4096", String(0x91c3000)],
            ["link", "0000:00:01.0", "s1", "0xfffc1000", "8192", String(0x91d6000)],
            ["link", "0000:00:01.0", "s1", "0xfffc3000", "4096", String(0x91cd000)],
            ["sync", "0000:00:01.0", "s1", "0xfffc0000", "16384", "NULL"],
            ["destroy", "0000:00:01.0", "s1", "0xfffc0000", "16384", "NULL"],
        ])
        #expect(summary.findingCount == 0)
        let offsets = try ImportFixture.rows(journal, "SELECT offset FROM ops WHERE kind = (SELECT code FROM op_kind WHERE name = 'link') ORDER BY seq")
        #expect(offsets == [["0"], ["4096"], ["12288"]])
    }

    /// Two requests one after the other whose IOVAs happen to touch (the second reuses a
    /// freed range right above the first) are told apart by their destroys.
    @Test func adjacentRequestsAreSplitByTheirDestroys() throws {
        let (journal, _) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.636916: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000006ee5000 size=4096
                kworker/u4:0-12      [000] .....     6.636999: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
                kworker/0:0H-10      [000] .....     7.284089: map: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc1000 paddr=0x00000000091c3000 size=4096
                kworker/0:0H-10      [000] .....     7.284100: map: IOMMU: iova=0x00000000fffc1000 - 0x00000000fffc2000 paddr=0x00000000091d6000 size=4096
                kworker/0:0H-10      [000] .....     7.284200: map: IOMMU: iova=0x00000000fffc2000 - 0x00000000fffc3000 paddr=0x00000000091cd000 size=4096
                kworker/0:0H-10      [000] .....     7.284210: map: IOMMU: iova=0x00000000fffc3000 - 0x00000000fffc4000 paddr=0x00000000091ce000 size=4096
                kworker/0:0H-10      [000] d.h1.     7.284494: unmap: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc2000 size=8192 unmapped_size=8192
                kworker/0:0H-10      [000] d.h1.     7.284594: unmap: IOMMU: iova=0x00000000fffc2000 - 0x00000000fffc4000 size=8192 unmapped_size=8192
            """)
        let allocs = try ImportFixture.rows(journal, """
            SELECT o.handle, printf('0x%x', x.out_address), x.length FROM op_log o JOIN ops x USING (seq) WHERE o.kind = 'alloc' ORDER BY seq
            """)
        #expect(allocs == [["s1", "0xfffc0000", "8192"], ["s2", "0xfffc2000", "8192"]])
    }

    /// A trace of `iommu:*` alone shows no DMA API call at all, so a map without one says
    /// nothing about the two-step API: it stays an IOMMU map.
    @Test func withoutDMAEventsIOMMUMapsStayMaps() throws {
        let (journal, _) = try ImportFixture.importing(text: """
                kworker/0:0H-10      [000] .....     7.284089: map: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc1000 paddr=0x00000000091c3000 size=4096
                kworker/0:0H-10      [000] d.h1.     7.284494: unmap: IOMMU: iova=0x00000000fffc0000 - 0x00000000fffc1000 size=4096 unmapped_size=4096
            """)
        let kinds = try ImportFixture.rows(journal, "SELECT kind, device FROM op_log WHERE kind IN ('map', 'unmap', 'alloc') ORDER BY seq")
        #expect(kinds == [["map", "unattributed"], ["unmap", "unattributed"]])
    }
}
