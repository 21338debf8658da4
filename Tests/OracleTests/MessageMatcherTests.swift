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
}
