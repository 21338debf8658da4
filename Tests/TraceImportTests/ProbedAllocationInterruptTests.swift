import Testing
@testable import TraceImport

/// A completion interrupt inside a probed `dma_iova_try_alloc`: the fprobe entry event
/// fires before the function body, so an interrupt that comes after it and before
/// `iommu_dma_alloc_iova()` (drivers/iommu/dma-iommu.c `dma_iova_try_alloc`) shows its
/// unmaps between the entry and the `_ret` event. The destroy in the interrupt frees its
/// IOVA at once (`dma_iova_free()` → `iommu_dma_free_iova()` → `free_iova_fast()`, lazy
/// mode included) on top of the CPU's magazine, where the next allocation of that size
/// finds it (drivers/iommu/iova.c `__iova_rcache_get()`). So the IOVA the `_ret` event
/// gives says when the allocation ran: one the interrupt freed, after that free; any
/// other, at the entry (as in last round's fresh `PROBES=iova` intel-strict capture,
/// line 22463: a `d.h6.` completion in the kworker freed 0xfffdc000 and the try_alloc
/// around it returned 0xfffdc000).
@Suite struct ProbedAllocationInterruptTests {
    static let header = "# cmdline: console=ttyS0 intel_iommu=on iommu.strict=1 trace_buf_size=64M"

    /// Request A (8 KiB, the domain's first: 0xffffe000) is mapped; the kworker enters
    /// B's try_alloc; A's completion interrupts it (a destroy in hardirq, same pid); B's
    /// try_alloc returns `address`.
    static func trace(secondGets address: String) -> String {
        """
        \(header)
        kworker/0:0H-10 [000] ...2. 12.000100: dma_iova_try_alloc: (dma_iova_try_alloc+0x4/0x120) dev="0000:00:01.0" state=0xffff8ede475c6588 phys=0x1b1c0000 size=8192
        kworker/0:0H-10 [000] ...1. 12.000110: dma_iova_try_alloc_ret: (blk_dma_map_iter_start+0x214/0x320 <- dma_iova_try_alloc) ret=1 state=0xffff8ede475c6588 addr=0xffffe000 state_size=0x2000
        kworker/0:0H-10 [000] ...2. 12.000120: dma_iova_link: (dma_iova_link+0x4/0x350) state=0xffff8ede475c6588 addr=0xffffe000 phys=0x1b1c0000 offset=0 size=8192 dir=2 attrs=0x0
        kworker/0:0H-10 [000] ..... 12.000130: map: IOMMU: iova=0x00000000ffffe000 - 0x0000000100000000 paddr=0x000000001b1c0000 size=8192
        kworker/0:0H-10 [000] ...1. 12.000140: dma_iova_link_ret: (blk_dma_map_iter_start+0x2a4/0x320 <- dma_iova_link) ret=0
        kworker/0:0H-10 [000] ...2. 12.000150: dma_iova_sync: (dma_iova_sync+0x4/0x50) state=0xffff8ede475c6588 addr=0xffffe000 offset=0 size=8192
        kworker/0:0H-10 [000] ...1. 12.000160: dma_iova_sync_ret: (blk_dma_map_iter_start+0x305/0x320 <- dma_iova_sync) ret=0
        kworker/0:0H-10 [000] ...2. 12.000200: dma_iova_try_alloc: (dma_iova_try_alloc+0x4/0x120) dev="0000:00:01.0" state=0xffff8ede475c7788 phys=0x1b2c0000 size=8192
        kworker/0:0H-10 [000] d.h6. 12.000210: dma_iova_destroy: (dma_iova_destroy+0x4/0x50) state=0xffff8ede475c6588 addr=0xffffe000 state_size=0x2000 mapped_len=8192 dir=2 attrs=0x0
        kworker/0:0H-10 [000] d.h6. 12.000211: dma_iova_unlink: (dma_iova_unlink+0x4/0x210) state=0xffff8ede475c6588 addr=0xffffe000 offset=0 size=8192 dir=2 attrs=0x0
        kworker/0:0H-10 [000] d.h4. 12.000212: unmap: IOMMU: iova=0x00000000ffffe000 - 0x0000000100000000 size=8192 unmapped_size=8192
        kworker/0:0H-10 [000] d.h5. 12.000213: dma_iova_unlink_ret: (dma_iova_destroy+0x30/0x50 <- dma_iova_unlink)
        kworker/0:0H-10 [000] d.h6. 12.000214: dma_iova_free: (dma_iova_free+0x4/0xb0) state=0xffff8ede475c6588 addr=0xffffe000 state_size=0x2000
        kworker/0:0H-10 [000] d.h5. 12.000215: dma_iova_free_ret: (return_to_handler+0x0/0x50 <- dma_iova_free)
        kworker/0:0H-10 [000] d.h5. 12.000216: dma_iova_destroy_ret: (nvme_unmap_data+0x93/0x290 [nvme] <- dma_iova_destroy)
        kworker/0:0H-10 [000] ...1. 12.000230: dma_iova_try_alloc_ret: (blk_dma_map_iter_start+0x214/0x320 <- dma_iova_try_alloc) ret=1 state=0xffff8ede475c7788 addr=0x\(address) state_size=0x2000
        """
    }

    /// The allocs and destroys in journal order (`CallAssemblyTests`' view of a two-step run).
    static func order(_ journal: String) throws -> [[String]] { try CallAssemblyTests.twoStepOrder(journal) }

    /// The try_alloc returned the IOVA the interrupt's destroy had just freed: the
    /// allocation ran after that free, and the call goes after the destroy.
    @Test func aTryAllocThatGotTheFreedIOVAGoesAfterTheInterrupt() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(secondGets: "ffffe000"))
        #expect(try Self.order(journal) == [["alloc", "s1", "0xffffe000"], ["destroy", "s1", "0xffffe000"],
                                            ["alloc", "s2", "0xffffe000"]])
        #expect(summary.disagreements == 0)
        let note = try ImportFixture.rows(journal, """
            SELECT i.note FROM imported_ops i JOIN op_log o USING (seq) WHERE o.kind = 'alloc' AND o.handle = 's2'
            """)
        #expect(note.first?.first?.contains("placed after the interrupt's unmap that freed the IOVA it returned") == true)
    }

    /// Another IOVA (the next 8 KiB below, what the tree gives while A is live): the
    /// allocation ran before the interrupt, and the call stays at its entry.
    @Test func aTryAllocThatGotAnotherIOVAStaysAtItsEntry() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(secondGets: "ffffc000"))
        #expect(try Self.order(journal) == [["alloc", "s1", "0xffffe000"], ["alloc", "s2", "0xffffc000"],
                                            ["destroy", "s1", "0xffffe000"]])
        #expect(summary.disagreements == 0)
    }
}
