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
            FROM op_log o JOIN ops x USING (seq) WHERE o.kind NOT IN ('machine', 'region', 'iommu', 'device') ORDER BY seq
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
            ["link", "0000:00:01.0", "s1", "0xfffc0000", "8192", String(0x91d6000)],
            ["link", "0000:00:01.0", "s1", "0xfffc0000", "4096", String(0x91cd000)],
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

    /// Lines 16573-16578 and 16594 of the strict capture, shortened to four-page requests: the
    /// completion of request s1 interrupts the kworker after it began the next request
    /// (blk_rq_dma_map_iter_start() → `dma_iova_try_alloc`) and before its first
    /// `dma_iova_link`. The IOVA it got is not the one the interrupt freed, which
    /// `free_iova_fast` put on top of the CPU's magazine for the next allocation of that
    /// size: the try_alloc came first, and goes before the destroy.
    static func requestAfterInterrupt(at iova: UInt64, between: String = "", requestCPU: String = "000") -> String {
        let hex = { (value: UInt64) in String(value, radix: 16) }
        return """
                kworker/u4:0-12      [000] .....     6.636916: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000006ee5000 size=4096
                kworker/u4:0-12      [000] .....     6.636999: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
                kworker/0:0H-10      [000] .....     9.522850: map: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeb9000 paddr=0x00000000091be000 size=4096
                kworker/0:0H-10      [000] .....     9.522853: map: IOMMU: iova=0x00000000ffeb9000 - 0x00000000ffeba000 paddr=0x000000000919a000 size=4096
                kworker/0:0H-10      [000] d.h1.     9.523366: unmap: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeba000 size=8192 unmapped_size=8192
            \(between)    kworker/0:0H-10      [\(requestCPU)] .....     9.523494: map: IOMMU: iova=0x00000000\(hex(iova)) - 0x00000000\(hex(iova + 0x1000)) paddr=0x00000000091c1000 size=4096
                kworker/0:0H-10      [\(requestCPU)] .....     9.523499: map: IOMMU: iova=0x00000000\(hex(iova + 0x1000)) - 0x00000000\(hex(iova + 0x2000)) paddr=0x00000000091d6000 size=4096
                          dd-171     [000] dBH..     9.523945: unmap: IOMMU: iova=0x00000000\(hex(iova)) - 0x00000000\(hex(iova + 0x2000)) size=8192 unmapped_size=8192
            """
    }

    static func twoStepOrder(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT o.kind, o.handle, printf('0x%x', coalesce(x.out_address, x.address)) FROM op_log o JOIN ops x USING (seq)
            WHERE o.kind IN ('alloc', 'destroy') ORDER BY seq
            """)
    }

    @Test func aTryAllocBeforeAnInterruptsDestroyGoesBeforeIt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.requestAfterInterrupt(at: 0xffea0000))
        #expect(try Self.twoStepOrder(journal) == [["alloc", "s1", "0xffeb8000"], ["alloc", "s2", "0xffea0000"],
                                                   ["destroy", "s1", "0xffeb8000"], ["destroy", "s2", "0xffea0000"]])
        #expect(summary.findingCount == 0)
        let note = try ImportFixture.rows(journal, """
            SELECT i.note FROM imported_ops i JOIN op_log o USING (seq) WHERE o.kind = 'alloc' AND o.handle = 's2'
            """)
        #expect(note.first?.first?.contains("placed before the interrupt") == true)
    }

    /// The IOVA the interrupt freed can only have been allocated after it: the order stays.
    @Test func aTryAllocOfTheFreedIOVAStaysAfterTheInterrupt() throws {
        let (journal, _) = try ImportFixture.importing(text: Self.requestAfterInterrupt(at: 0xffeb8000))
        #expect(try Self.twoStepOrder(journal) == [["alloc", "s1", "0xffeb8000"], ["destroy", "s1", "0xffeb8000"],
                                                   ["alloc", "s2", "0xffeb8000"], ["destroy", "s2", "0xffeb8000"]])
    }

    /// Two completions interrupt the kworker before its next request's first link (as in a
    /// fresh virtio-lazy capture, lines 17781-17783, 128 KiB requests there): its IOVA is
    /// the one the first freed, not the one the second freed, which `free_iova_fast` would
    /// have put on top of the magazine. The try_alloc came between them.
    @Test func aTryAllocBetweenTwoInterruptsGoesBetweenThem() throws {
        let (journal, _) = try ImportFixture.importing(text: """
                kworker/u4:0-12      [000] .....     6.636916: map: IOMMU: iova=0x00000000ffffe000 - 0x00000000fffff000 paddr=0x0000000006ee5000 size=4096
                kworker/u4:0-12      [000] .....     6.636999: dma_alloc: 0000:00:01.0 dir=BIDIRECTIONAL dma_addr=ffffe000 size=2048 virt_addr=(____ptrval____) flags=GFP_KERNEL attrs=
                kworker/0:0H-10      [000] .....     9.522850: map: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeb9000 paddr=0x00000000091be000 size=4096
                kworker/0:0H-10      [000] .....     9.522853: map: IOMMU: iova=0x00000000ffeb9000 - 0x00000000ffeba000 paddr=0x000000000919a000 size=4096
                kworker/0:0H-10      [000] .....     9.522900: map: IOMMU: iova=0x00000000ffeb6000 - 0x00000000ffeb7000 paddr=0x00000000091c1000 size=4096
                kworker/0:0H-10      [000] .....     9.522903: map: IOMMU: iova=0x00000000ffeb7000 - 0x00000000ffeb8000 paddr=0x00000000091d6000 size=4096
                kworker/0:0H-10      [000] d.h1.     9.523366: unmap: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeba000 size=8192 unmapped_size=8192
                kworker/0:0H-10      [000] d.h..     9.523400: unmap: IOMMU: iova=0x00000000ffeb6000 - 0x00000000ffeb8000 size=8192 unmapped_size=8192
                kworker/0:0H-10      [000] .....     9.523494: map: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeb9000 paddr=0x00000000091c1000 size=4096
                kworker/0:0H-10      [000] .....     9.523499: map: IOMMU: iova=0x00000000ffeb9000 - 0x00000000ffeba000 paddr=0x00000000091d6000 size=4096
                          dd-171     [000] dBH..     9.523945: unmap: IOMMU: iova=0x00000000ffeb8000 - 0x00000000ffeba000 size=8192 unmapped_size=8192
            """)
        #expect(try Self.twoStepOrder(journal) == [["alloc", "s1", "0xffeb8000"], ["alloc", "s2", "0xffeb6000"],
                                                   ["destroy", "s1", "0xffeb8000"], ["alloc", "s3", "0xffeb8000"],
                                                   ["destroy", "s2", "0xffeb6000"], ["destroy", "s3", "0xffeb8000"]])
    }

    /// Another task ran on the CPU in between (an interrupt in `<idle>`, as at line 5042; a
    /// line of `sh` the import skips, as at line 1340): the kworker had stopped, so it was
    /// not inside a call when its interrupt came.
    @Test(arguments: [
        "      <idle>-0       [000] d.h1.     9.523400: unmap: IOMMU: iova=0x00000000fff00000 - 0x00000000fff01000 size=4096 unmapped_size=4096\n",
        "          sh-117     [000] ...1.     9.523400: tracing_mark_write: klab: dd if=/dev/nvme0n1 of=/dev/null bs=8k count=200 iflag=direct\n",
    ])
    func aTaskThatStoppedRunningWasNotInsideACall(_ between: String) throws {
        let (journal, _) = try ImportFixture.importing(text: Self.requestAfterInterrupt(at: 0xffea0000, between: between))
        #expect(try Self.twoStepOrder(journal) == [["alloc", "s1", "0xffeb8000"], ["destroy", "s1", "0xffeb8000"],
                                                   ["alloc", "s2", "0xffea0000"], ["destroy", "s2", "0xffea0000"]])
    }

    /// The task's next event is on another CPU than its interrupt's (a 2-vCPU capture,
    /// `SMP=2`: dd-187 interrupted on CPU 0, its next request mapped on CPU 1): it was
    /// migrated, so it had stopped running and was not inside a call when the interrupt
    /// came (a try_alloc before it would have run on CPU 0, `raw_cpu_ptr()` in
    /// `__iova_rcache_get()`). The order stays.
    @Test func aTaskMigratedToAnotherCPUWasNotInsideACall() throws {
        let (journal, _) = try ImportFixture.importing(text: Self.requestAfterInterrupt(at: 0xffea0000, requestCPU: "001"))
        #expect(try Self.twoStepOrder(journal) == [["alloc", "s1", "0xffeb8000"], ["destroy", "s1", "0xffeb8000"],
                                                   ["alloc", "s2", "0xffea0000"], ["destroy", "s2", "0xffea0000"]])
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

/// With probe events on the `dma_iova_*` functions (`../shared/kernel-lab/probes/iova`,
/// `PROBES=iova`), the calls are read exactly: arguments from the entry event, the result
/// from the `_ret` event of the same task and context, the `iommu:map`/`unmap` a call
/// makes folded into it, and `dma_iova_destroy`'s nested `dma_iova_unlink` and
/// `dma_iova_free` folded into the destroy (drivers/iommu/dma-iommu.c `dma_iova_destroy`).
@Suite struct IOVAProbeImportTests {
    /// One 4608-byte O_DIRECT read, as captured (`7.3-intel-iommu-strict-nvme-iova-probes.txt`).
    static let request = """
        kworker/0:0H-10 [000] ...2. 12.094264: dma_iova_try_alloc: (dma_iova_try_alloc+0x4/0x120) dev="0000:00:01.0" state=0xffff8ede475c6588 phys=0x1b1c0000 size=4608
        kworker/0:0H-10 [000] ...1. 12.094343: dma_iova_try_alloc_ret: (blk_dma_map_iter_start+0x214/0x320 <- dma_iova_try_alloc) ret=1 state=0xffff8ede475c6588 addr=0xfffdc000 state_size=0x1200
        kworker/0:0H-10 [000] ...2. 12.094372: dma_iova_link: (dma_iova_link+0x4/0x350) state=0xffff8ede475c6588 addr=0xfffdc000 phys=0x1b1c0000 offset=0 size=4096 dir=2 attrs=0x0
        kworker/0:0H-10 [000] ..... 12.094428: map: IOMMU: iova=0x00000000fffdc000 - 0x00000000fffdd000 paddr=0x000000001b1c0000 size=4096
        kworker/0:0H-10 [000] ...1. 12.094436: dma_iova_link_ret: (blk_dma_map_iter_start+0x2a4/0x320 <- dma_iova_link) ret=0
        kworker/0:0H-10 [000] ...2. 12.094445: dma_iova_link: (dma_iova_link+0x4/0x350) state=0xffff8ede475c6588 addr=0xfffdc000 phys=0x1b1bf000 offset=4096 size=512 dir=2 attrs=0x0
        kworker/0:0H-10 [000] d.h2. 12.094450: dma_iova_destroy: (dma_iova_destroy+0x4/0x50) state=0xffff8ede475c7788 addr=0xfffe0000 state_size=0x2000 mapped_len=8192 dir=1 attrs=0x0
        kworker/0:0H-10 [000] d.h2. 12.094451: dma_iova_unlink: (dma_iova_unlink+0x4/0x210) state=0xffff8ede475c7788 addr=0xfffe0000 offset=0 size=8192 dir=1 attrs=0x0
        kworker/0:0H-10 [000] d.h1. 12.094452: unmap: IOMMU: iova=0x00000000fffe0000 - 0x00000000fffe2000 size=8192 unmapped_size=8192
        kworker/0:0H-10 [000] d.h2. 12.094453: dma_iova_unlink_ret: (dma_iova_destroy+0x30/0x50 <- dma_iova_unlink)
        kworker/0:0H-10 [000] d.h2. 12.094454: dma_iova_free: (dma_iova_free+0x4/0xb0) state=0xffff8ede475c7788 addr=0xfffe0000 state_size=0x2000
        kworker/0:0H-10 [000] d.h2. 12.094454: dma_iova_free_ret: (return_to_handler+0x0/0x50 <- dma_iova_free)
        kworker/0:0H-10 [000] d.h2. 12.094454: dma_iova_destroy_ret: (nvme_unmap_data+0x93/0x290 [nvme] <- dma_iova_destroy)
        kworker/0:0H-10 [000] ..... 12.094455: map: IOMMU: iova=0x00000000fffdd000 - 0x00000000fffde000 paddr=0x000000001b1bf000 size=4096
        kworker/0:0H-10 [000] ...1. 12.094458: dma_iova_link_ret: (blk_dma_map_iter_start+0x2a4/0x320 <- dma_iova_link) ret=0
        kworker/0:0H-10 [000] ...2. 12.094468: dma_iova_sync: (dma_iova_sync+0x4/0x50) state=0xffff8ede475c6588 addr=0xfffdc000 offset=0 size=4608
        kworker/0:0H-10 [000] ...1. 12.094523: dma_iova_sync_ret: (blk_dma_map_iter_start+0x305/0x320 <- dma_iova_sync) ret=0
        kworker/0:0H-10 [000] dBh3. 12.094852: dma_iova_destroy: (dma_iova_destroy+0x4/0x50) state=0xffff8ede475c6588 addr=0xfffdc000 state_size=0x1200 mapped_len=4608 dir=2 attrs=0x0
        kworker/0:0H-10 [000] dBh3. 12.094871: dma_iova_unlink: (dma_iova_unlink+0x4/0x210) state=0xffff8ede475c6588 addr=0xfffdc000 offset=0 size=4608 dir=2 attrs=0x0
        kworker/0:0H-10 [000] dBh1. 12.094904: unmap: IOMMU: iova=0x00000000fffdc000 - 0x00000000fffde000 size=8192 unmapped_size=8192
        kworker/0:0H-10 [000] dBh2. 12.094937: dma_iova_unlink_ret: (dma_iova_destroy+0x30/0x50 <- dma_iova_unlink)
        kworker/0:0H-10 [000] dBh3. 12.094947: dma_iova_free: (dma_iova_free+0x4/0xb0) state=0xffff8ede475c6588 addr=0xfffdc000 state_size=0x1200
        kworker/0:0H-10 [000] dBh2. 12.094960: dma_iova_free_ret: (return_to_handler+0x0/0x50 <- dma_iova_free)
        kworker/0:0H-10 [000] dBh2. 12.094966: dma_iova_destroy_ret: (nvme_unmap_data+0x93/0x290 [nvme] <- dma_iova_destroy)
        """

    /// The second link's task is interrupted by another request's completion (a
    /// destroy in hardirq, same pid): the interrupt's calls pair among themselves and the
    /// link still gets its own map and return.
    @Test func probeCallsAreReadExactly() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.request)
        let rows = try ImportFixture.rows(journal, """
            SELECT o.kind, o.handle, x.offset, x.length, printf('0x%x', x.phys), d.name, printf('0x%x', x.out_address) -- NULL prints 0x0
            FROM op_log o JOIN ops x USING (seq) LEFT JOIN direction d ON d.code = x.dir
            WHERE o.kind NOT IN ('machine', 'region', 'iommu', 'device') ORDER BY seq
            """)
        #expect(rows == [
            ["alloc", "s1", "NULL", "4608", "0x1b1c0000", "NULL", "0xfffdc000"],
            ["link", "s1", "0", "4096", "0x1b1c0000", "from-device", "0x0"],
            ["link", "s1", "4096", "512", "0x1b1bf000", "from-device", "0x0"],
            ["destroy", "s2", "NULL", "8192", "0x0", "to-device", "0x0"],
            ["sync", "s1", "0", "4608", "0x0", "NULL", "0x0"],
            ["destroy", "s1", "NULL", "4608", "0x0", "from-device", "0x0"],
        ])
        let ranges = try ImportFixture.rows(journal, "SELECT seq, printf('0x%x', iova), length FROM mapped_ranges ORDER BY seq")
        #expect(ranges == [["1", "0xfffdc000", "4096"], ["2", "0xfffdd000", "4096"]])
        #expect(summary.opsByKind[.unlink] == nil && summary.opsByKind[.free] == nil)
    }
}
