import Testing
@testable import TraceImport

/// Another task's untraced `dma_iova_try_alloc`: NVMe's queueing path allocates in
/// `blk_rq_dma_map_iter_start()` → `dma_iova_try_alloc()` (no tracepoint) and traces only
/// its links' `iommu:map`s, so a task preempted between the two has its request traced
/// after the next task's, though its allocation ran first. The CPU's magazine hands out
/// its top first (drivers/iommu/iova.c `__iova_rcache_get()` → `iova_magazine_pop()`),
/// so the IOVAs say which ran first (as in a lab virtio-lazy 2-vCPU capture, seq 17,451:
/// one interrupt freed 0xffca0000 then 0xffef0000; dd-183's request, traced first, got
/// 0xffca0000, dd-184's 0xffef0000).
@Suite struct UntracedAllocationOrderTests {
    static let header = "# cmdline: console=ttyS0 iommu.strict=1 trace_buf_size=64M"

    /// dd-183's request P (8 KiB at 0xffffc000) and dd-184's Q (0xffffa000); a completion
    /// in the idle task frees P then Q (Q on top of the order-1 magazine); then dd-183's
    /// next request is traced at `first`, dd-184's at `second`. `between` goes before
    /// dd-184's.
    static func trace(first: UInt64, second: UInt64, secondTask: String = "dd-184", between: String = "") -> String {
        func request(_ task: String, at iova: UInt64, time: String) -> String {
            let hex = { (value: UInt64) in String(value, radix: 16) }
            return """
                \(task) [000] ..... \(time)0: map: IOMMU: iova=0x00000000\(hex(iova)) - 0x00000000\(hex(iova + 0x1000)) paddr=0x0000000001100000 size=4096
                \(task) [000] ..... \(time)1: map: IOMMU: iova=0x00000000\(hex(iova + 0x1000)) - 0x00000000\(hex(iova + 0x2000)) paddr=0x0000000001200000 size=4096

            """
        }
        func destroy(at iova: UInt64, time: String) -> String {
            let hex = { (value: UInt64) in String(value, radix: 16) }
            return """
                <idle>-0 [000] d.h2. \(time): unmap: IOMMU: iova=0x00000000\(hex(iova)) - 0x00000000\(hex(iova + 0x2000)) size=8192 unmapped_size=8192

            """
        }
        return header + "\n"
            + "    kworker/0:1H-10 [000] ..... 9.000000: map: IOMMU: iova=0x00000000fffff000 - 0x0000000100000000 paddr=0x0000000001000000 size=4096\n"
            + "    kworker/0:1H-10 [000] ..... 9.000001: dma_map_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=1000000 attrs=\n"
            + request("dd-183", at: 0xffffc000, time: "9.00010") + request("dd-184", at: 0xffffa000, time: "9.00020")
            + destroy(at: 0xffffc000, time: "9.000300") + destroy(at: 0xffffa000, time: "9.000301")
            + request("dd-183", at: first, time: "9.00040") + between + request(secondTask, at: second, time: "9.00050")
            + destroy(at: first, time: "9.000600") + destroy(at: second, time: "9.000601")
    }

    static func allocations(_ journal: String) throws -> [[String]] {
        try ImportFixture.rows(journal, """
            SELECT o.handle, printf('0x%x', x.out_address), i.pid FROM op_log o JOIN ops x USING (seq) JOIN imported_ops i USING (seq)
            WHERE o.kind = 'alloc' ORDER BY seq
            """)
    }

    /// dd-183's request got the entry below the magazine's top and dd-184's the top: dd-184's
    /// try_alloc ran first, and goes before dd-183's.
    @Test func aTryAllocThatGotTheTopRanFirst() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(first: 0xffffc000, second: 0xffffa000))
        #expect(try Self.allocations(journal) == [["s1", "0xffffc000", "183"], ["s2", "0xffffa000", "184"],
                                                  ["s4", "0xffffa000", "184"], ["s3", "0xffffc000", "183"]])
        #expect(summary.disagreements == 0)
        let note = try ImportFixture.rows(journal, "SELECT i.note FROM imported_ops i JOIN op_log o USING (seq) WHERE o.kind = 'alloc' AND o.handle = 's4'")
        #expect(note.first?.first?.contains("iova_magazine_pop() is LIFO") == true)
    }

    /// The order the trace shows agrees with the magazine: nothing moves.
    @Test func theTracedOrderStandsWhenTheIOVAsAgree() throws {
        let (journal, summary) = try ImportFixture.importing(text: Self.trace(first: 0xffffa000, second: 0xffffc000))
        #expect(try Self.allocations(journal) == [["s1", "0xffffc000", "183"], ["s2", "0xffffa000", "184"],
                                                  ["s3", "0xffffa000", "183"], ["s4", "0xffffc000", "184"]])
        #expect(summary.disagreements == 0)
    }

    /// dd-184 made another call in between (a streaming map): its try_alloc came after that
    /// call, so after dd-183's allocation; the order stays (and the model parts there, as
    /// the kernel's IOVAs cannot come from this order).
    @Test func aTaskThatMadeACallInBetweenHadNotAllocatedYet() throws {
        let between = """
                dd-184 [000] ..... 9.000450: map: IOMMU: iova=0x00000000ffff9000 - 0x00000000ffffa000 paddr=0x0000000001300000 size=4096
                dd-184 [000] ..... 9.000451: dma_map_phys: 0000:00:01.0 dir=FROM_DEVICE dma_addr=ffff9000 size=4096 phys_addr=1300000 attrs=

            """
        let (journal, _) = try ImportFixture.importing(text: Self.trace(first: 0xffffc000, second: 0xffffa000, between: between))
        #expect(try Self.allocations(journal).map(\.[0]) == ["s1", "s2", "s3", "s4"])
    }

    /// The same task's next request: its calls are sequential, so it cannot have allocated
    /// before its own earlier request.
    @Test func aTasksOwnLaterRequestStaysLater() throws {
        let (journal, _) = try ImportFixture.importing(text: Self.trace(first: 0xffffc000, second: 0xffffa000, secondTask: "dd-183"))
        #expect(try Self.allocations(journal).map(\.[0]) == ["s1", "s2", "s3", "s4"])
    }
}
