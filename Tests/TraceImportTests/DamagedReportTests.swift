import Testing
@testable import TraceImport

/// A report whose numbers a paste damaged — cut inside a field, more digits than 64 bits
/// hold, a range past the top of the address space — is no fact to replay: each is one
/// not-understood line naming its line and what could not be read, never a value made up
/// (`0x` read as 0, an absent size, a mapping that wraps), and the lines around it still
/// import. dma-debug's entries, dump lines and map events are all ranges the kernel made
/// (kernel/dma/debug.c `add_dma_entry`), so none ends past 2^64.
@Suite struct DamagedReportTests {
    static let good = "[    1.000000] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x70ad5000 [fault reason 0x06] PTE Read access is not set"
    static let debug = "[    1.000001] DMA-API: e1000e 0000:00:19.0: device driver"

    struct Case: Sendable, CustomStringConvertible {
        let line: String
        let reason: String
        var description: String { reason }
    }

    static let cases: [Case] = [
        Case(line: "\(debug) frees DMA memory with different size [device address=0xfffffffffffff000] [map size=8192 bytes] [unmap size=4096 bytes]",
             reason: "dma_debug whose address + length pass 2^64"),
        Case(line: "\(debug) frees DMA memory with different size [device address=0x00000000fffff000] [map size=4096 bytes] [unmap size=99999999999999999999999 bytes]",
             reason: "dma_debug without a readable unmap size"),
        Case(line: "\(debug) tries to free DMA memory it has not allocated [device address=0x] [size=4096 bytes]",
             reason: "dma_debug without a readable device address"),
        Case(line: "[    1.000001] DMA-API: ntb_transport 0000:03:00.0: dma_map_resource called for RAM address 0x1ffffffffffffffff",
             reason: "dma_debug without a readable RAM address"),
        Case(line: "\(debug) tries to free DMA memory it has not allocated [device address=0x1ffffffffffffffff] [size=4096 bytes]",
             reason: "dma_debug without a readable device address"),
        Case(line: "\(debug) tries to free DMA memory it has not allocated [device address=0x00000000 00001000] [size=4096 bytes]",
             reason: "dma_debug without a readable device address"),
        Case(line: "\(debug) frees DMA memory with different size [device address=0x0000000000001000] [map size=4096 bytes] [unm",
             reason: "dma_debug without a readable unmap size"),
        Case(line: "[    1.000001] e1000e 0000:00:19.0: single idx 3 P=1000 N=1 D=fffffffffffff000 L=2000 DMA_TO_DEVICE dma map error checked",
             reason: "debug_dma_dump_mappings whose address + length pass 2^64"),
        Case(line: "[    1.000001] nvme 0000:01:00.0: DMA addr 0xfffffffffffff000+8192 overflow (mask ffffffff, bus limit 0).",
             reason: "dma_direct_map whose address + length pass 2^64"),
        Case(line: "[    1.000001] AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:03:00.0 domain=0x0010 address=0xfffff000]",
             reason: "amd_iommu_io_page_fault without a readable flags"),
    ]

    @Test(arguments: cases)
    func aDamagedReportIsOneNotUnderstoodLine(_ damaged: Case) throws {
        let (journal, summary) = try ImportFixture.importing(text: [Self.good, damaged.line, Self.good].joined(separator: "\n"))
        let unread = try #require(summary.sources.first).notUnderstood
        #expect(unread.map(\.line) == [2])
        #expect(unread.first?.reason == damaged.reason)
        #expect(summary.disagreements == 0)
        #expect(try ImportFixture.rows(journal, "SELECT l.line FROM imported_log l") == [["1"], ["3"]])
    }
}
