import Testing
@testable import Oracle

/// The kernel's log lines against the model's warnings.
@Suite struct MessageMatcherTests {
    static let plan = OraclePlan(devices: [
        DevicePlan(index: 0, name: "nvme0", pciAddress: "10.0", dmaBits: 64, untrusted: false, domainType: "DMA", iommu: "mmu0"),
    ])

    static func matcher() -> MessageMatcher {
        MessageMatcher(plan: plan) { $0 >= 0x3000_0000 && $0 < 0x3000_1000 ? $0 - 0x3000_0000 + 0x1000_0000_0000 : $0 }
    }

    @Test func devicesAndAddressesAreTheScripts() {
        #expect(Self.matcher().normalized("dmaoracle 0000:00:10.0: DMA addr 0x0000000030000200+4096 overflow, 0x00ff")
                == "nvme0: DMA addr 0x100000000200+4096 overflow, 0xff")
    }

    @Test func aMessageTheKernelPrintsOnceIsNeededOnlyOnce() {
        var matcher = Self.matcher()
        var notes: [String] = []
        let text = "nvme0: DMA bounce buffers are inactive, unable to map unaligned transaction."
        #expect(matcher.match(kernel: [.line("dmaoracle 0000:00:10.0: DMA bounce buffers are inactive, unable to map unaligned transaction.")],
                              model: [text], notes: &notes).isEmpty)
        #expect(matcher.match(kernel: [], model: [text], notes: &notes).isEmpty)
        var fresh = Self.matcher()
        #expect(fresh.match(kernel: [], model: [text], notes: &notes) == ["model prints, kernel does not: \(text)"])
    }

    @Test func bareWarnSplatsAreCounted() {
        var matcher = Self.matcher()
        var notes: [String] = []
        let warning = KernelMessage.warning(site: "drivers/iommu/dma-iommu.c:1834 dma_iova_try_alloc", message: nil)
        #expect(matcher.match(kernel: [warning], model: ["WARN_ON_ONCE: dma_iova_try_alloc size 0x0"], notes: &notes).isEmpty)
        #expect(matcher.match(kernel: [warning], model: [], notes: &notes)
                == ["WARN splats: kernel 1 (drivers/iommu/dma-iommu.c:1834 dma_iova_try_alloc), model 0"])
    }
    /// The guest kernel has no dma-debug (Debian: CONFIG_DMA_API_DEBUG off), so a line the
    /// model's dma-debug prints is noted, not required of the kernel.
    @Test func dmaDebugLinesAreNotRequiredOfTheGuest() {
        var matcher = Self.matcher()
        var notes: [String] = []
        let line = "DMA-API: nvme0: device driver tries to free DMA memory it has not allocated [device address=0xfffff000] [size=4096 bytes]"
        #expect(matcher.match(kernel: [], model: [line], notes: &notes).isEmpty)
        #expect(notes.count == 1 && notes[0].contains("no CONFIG_DMA_API_DEBUG"))
        #expect(matcher.match(kernel: [], model: ["nvme0: swiotlb buffer is full"], notes: &notes) == ["model prints, kernel does not: nvme0: swiotlb buffer is full"])
    }
    /// The model's page-fault report against the kernel's oops: the call chain must be the
    /// kernel's; the faulting address is not compared (KASLR moves the direct map).
    @Test func anOopsIsComparedByItsCallChain() {
        var matcher = Self.matcher()
        var notes: [String] = []
        let kernel = KernelMessage.oops("BUG: unable to handle page fault for address: ffff8b7570000000")
        let trace = ["memcpy_orig", "swiotlb_tbl_map_single", "swiotlb_map", "dma_direct_map_phys", "dma_map_phys", "op_map"]
        let report = ["BUG: unable to handle page fault for address: ffff888038000000", "#PF: supervisor read access in kernel mode",
                      "Oops: 0000 [#1] SMP NOPTI", "RIP: 0010:memcpy_orig"]
        #expect(matcher.match(kernel: [kernel], model: report + ["Call Trace: swiotlb_tbl_map_single <- swiotlb_map <- dma_direct_map_phys <- dma_map_phys"],
                              oopsTrace: trace, notes: &notes).isEmpty)
        #expect(matcher.match(kernel: [kernel], model: report + ["Call Trace: swiotlb_tbl_map_single <- iommu_dma_map_swiotlb"],
                              oopsTrace: trace, notes: &notes).count == 1)
    }
}
