import Testing
@testable import TraceImport

/// Logs pasted from mail: quote prefixes removed, lines a mail client wrapped joined.
@Suite struct MailUnwrapTests {
    /// The records `text` becomes: (first line, lines spanned, text).
    static func records(_ text: String) -> [(Int, Int, String)] {
        var joiner = LineJoiner()
        var records: [LogicalLine] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let record = joiner.feed(Array(line.utf8), number: index + 1) { records.append(record) }
        }
        if let record = joiner.flush() { records.append(record) }
        return records.map { ($0.firstLine, $0.lineCount, String(decoding: $0.text, as: UTF8.self)) }
    }

    @Test func quotePrefixesOfAnyDepthAreRemoved() {
        #expect(MailQuote.strip(Array("> > [Thu Jan  4 23:12:54 2024] ahci".utf8)) == (2, 4))
        #expect(MailQuote.strip(Array(">>[  1.0] x".utf8)) == (2, 2))
        #expect(MailQuote.strip(Array(">[  215.351607] x".utf8)) == (1, 1))
        // Only one space belongs to the quote: ftrace's own indentation stays.
        #expect(MailQuote.strip(Array(">   gem_exec_gttfil-1010".utf8)) == (1, 2))
        #expect(MailQuote.strip(Array("no quote".utf8)) == (0, 0))
    }

    /// fixtures/traces/08…: format=flowed soft breaks (a trailing space) without timestamps.
    @Test func aSoftBreakIsJoined() {
        let records = Self.records("""
            DMAR: [DMA Write] Request device [00:14.0] PASID ffffffff fault addr ffe20000 \n[fault reason 05] PTE Write access is not set
            xhci_hcd 0000:00:14.0: A Set TR Deq Ptr command is pending.
            """)
        #expect(records.count == 2)
        #expect(records[0].0 == 1 && records[0].1 == 2)
        #expect(records[0].2 == "DMAR: [DMA Write] Request device [00:14.0] PASID ffffffff fault addr ffe20000 [fault reason 05] PTE Write access is not set")
        #expect(records[1].0 == 3)
    }

    /// fixtures/traces/16…: a hard wrap at the mail client's width, inside a quote.
    @Test func aHardWrapInsideAQuoteIsJoined() {
        let records = Self.records("""
            > [  157.563136] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402
            > ,iova=0xd65504710, fsynr=0x100011, cbfrsynra=0x0, cb=6
            > [  157.574842] arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF],
            """)
        #expect(records.map(\.1) == [2, 1])
        #expect(records[0].2.hasSuffix("fsr=0x402 ,iova=0xd65504710, fsynr=0x100011, cbfrsynra=0x0, cb=6"))
    }

    /// A real paste (LKML, cx23885): an indented log whose long lines the mail client
    /// wrapped to the first column; the WARN line before the message gives its CPU and PID.
    @Test func anIndentedLogWithWrappedLines() throws {
        let event = try onlyEvent(in: """
              ------------[ cut here ]------------
              WARNING: CPU: 1 PID: 6946 at lib/dma-debug.c:1093 \ncheck_unmap+0x180/0x7c6()
              cx23885 0000:0a:00.0: DMA-API: device driver tries to free DMA memory \nit has not allocated [device address=0x0000000000d27000] [size=504 bytes]
              Modules linked in: ip6table_filter ip6_tables act_police cls_basic \ncls_flow cls_fw cls_u32 sch_fq_codel sch_tbf
            """)
        #expect(event.misuse == .unmapNotMapped)
        #expect(event.device == "0000:0a:00.0")
        #expect(event.address == 0xd2_7000)
        #expect(event.sizeBytes == 504)
        #expect(event.provenance.cpu == 1)
        #expect(event.provenance.pid == 6946)
        #expect(event.provenance.line == 4)
        #expect(event.provenance.lineCount == 2)
    }

    @Test func aChainOfWrapsIsOneRecord() {
        let records = Self.records("""
            2023-02-13T07:02:37.074397Z qemu-system-x86_64: vtd_iova_to_slpte:
            detected slpte permission error (iova=0x1187a9000, level=0x3,
            slpte=0x0, write=0, pasid=0xffffffff)
            """)
        #expect(records.count == 1)
        #expect(records[0].1 == 3)
    }

    struct Unjoined: Sendable, CustomStringConvertible {
        let text: String
        let why: String
        var description: String { why }
    }

    static let unjoined: [Unjoined] = [
        Unjoined(text: "[  1.000000] DMAR: DRHD: handling fault status reg 3 and some more text here\n[  1.000001] DMAR: next", why: "the next line opens a record"),
        Unjoined(text: "[  1.000000] DMAR: DRHD: handling fault status reg 3 and some more text here\n\nprose after a blank line", why: "a blank line ends the record"),
        Unjoined(text: String(repeating: "x", count: 120) + "\n^^^^ a comment under a long line", why: "the line before was not wrapped: too long"),
        Unjoined(text: "[  1.000000] short\ncontinuation", why: "the line before was not wrapped: too short"),
        Unjoined(text: "> [  1.000000] DMAR: DRHD: handling fault status reg 3 and some more text\nan unquoted reply line", why: "another quote depth"),
        Unjoined(text: "I also enabled vtd_iommu_translate and vtd_dmar_fault traces which is\nshowing the following", why: "prose is not a record"),
        Unjoined(text: "  cx23885 0000:0a:00.0: DMA-API: device driver tries to free DMA memory\n  Modules linked in: ip6table_filter",
                 why: "an indented line belongs to an indented log, not to a wrap"),
    ]

    @Test(arguments: unjoined) func linesThatStayApart(_ sample: Unjoined) {
        #expect(Self.records(sample.text).allSatisfy { $0.1 == 1 })
    }
}
