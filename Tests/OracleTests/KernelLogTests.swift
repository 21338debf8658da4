import Testing
@testable import Oracle

/// Reading what the guest printed: the module's setup facts, each op's R line, the kernel
/// messages between B and R, WARN splats and oopses.
@Suite struct KernelLogTests {
    @Test func aRealRunsSetupAndResults() throws {
        let log = KernelLog(console: try OracleFixtures.console("quickstart"))
        #expect(log.complete && log.finished && log.setupErrors.isEmpty)
        #expect(log.kernelRelease == "7.3.4+deb13-amd64")
        let device = try #require(log.devices[0])
        #expect(device.bdf == "0000:00:10.0" && device.domainType == "DMA-FQ" && device.apertureEnd == 0xffff_ffff_ffff)
        // VT-d's MSI window and the q35 host bridge's memory windows: what the IOVA allocator skips
        #expect(device.reserved == [0xfee0_0000...0xfeef_ffff, 0xa_0000...0xb_ffff, 0x4000_0000...0xafff_ffff,
                                    0xc000_0000...0xfebf_ffff, 0x1_0000_0000...0x8_ffff_ffff])
        #expect(device.scratchDMA == 0x8_ffff_e000)
        #expect(log.extentPhys == [0: 0x3000_0000, 1: 0x3001_0000, 2: 0x3002_0000])
        #expect(log.swiotlb == nil)
        let alloc = try #require(log.results[14])
        #expect(alloc.verb == "alloc" && alloc.returned && alloc.fields["ret"] == "1" && alloc.unsigned("addr") == 0xffff_c000)
        let staleWrite = try #require(log.results[35])
        #expect(staleWrite.fields["faults"] == "w@0xffffa000:0x5,w@0xffffa000:0x5")
        #expect(KernelOutcome.faults(staleWrite.fields["faults"]).map(\.address) == [0xffff_a000, 0xffff_a000])
        #expect(KernelOutcome.memory(staleWrite.fields["mem"]).keys.sorted() == [0, 1, 2])
    }

    @Test func aWarnSplatIsOneMessageWithItsSiteAndText() throws {
        let log = KernelLog(console: try OracleFixtures.console("misuse-use-of-mapping-error"))
        let map = try #require(log.results[7])
        #expect(map.fields["err"] == "-12")
        #expect(map.messages == [.warning(
            site: "kernel/dma/direct.c:718 dma_direct_map_phys",
            message: "dmaoracle 0000:81:00.0: DMA addr 0x0000000100000000+4096 overflow (mask ffffffff, bus limit 0).")])
        #expect(log.devices[1]?.domainType == "none")
        #expect(log.devices[1]?.reserved == [])
    }

    @Test func anOopsEndsTheRunAndKeepsItsTrace() throws {
        let log = KernelLog(console: try OracleFixtures.console("bounce-link-head-middle-tail"))
        #expect(log.complete && !log.finished)
        let link = try #require(log.results[12])
        #expect(!link.returned && link.oopsed)
        #expect(link.oopsTrace.prefix(5) == ["memcpy_orig", "swiotlb_tbl_map_single", "iommu_dma_map_swiotlb",
                                             "iommu_dma_iova_bounce_and_link", "dma_iova_link"])
        #expect(log.results[13] == nil)
        #expect(log.swiotlb == GuestSwiotlb(start: 0x2c64_0000, end: 0x2c68_0000, slabCount: 128))
    }

    @Test(arguments: [
        ("WARNING: kernel/dma/direct.c:718 at dma_direct_map_phys+0x19d/0x330, CPU#0: sh/101", "kernel/dma/direct.c:718 dma_direct_map_phys"),
        ("WARNING: CPU: 0 PID: 97 at drivers/iommu/dma-iommu.c:1834 dma_iova_try_alloc+0x4c/0x120", "drivers/iommu/dma-iommu.c:1834 dma_iova_try_alloc"),
    ])
    func warningSitesOfBothFormats(line: String, site: String) {
        #expect(KernelLog.warningSite(line) == site)
    }

    @Test func linesOutsideTheDumpAndBeforeAnyOpAreIgnored() {
        let console = """
            [    1.0] dmaoracle: B 3 alloc
            \(KernelLog.dmesgBegin)
            [    2.0] DMAR: something at boot
            [    2.1] dmaoracle: B 5 devw
            [    2.2] some driver: a message
            [    2.3] dmaoracle: R 5 devw addr=0x1000 xfer=0 faults=none
            [    2.4] after the op
            \(KernelLog.dmesgEnd)
            """
        let log = KernelLog(console: console)
        #expect(log.results.keys.sorted() == [5])
        #expect(log.results[5]?.messages == [.line("some driver: a message")])
        #expect(log.complete && !log.finished)
    }
}
