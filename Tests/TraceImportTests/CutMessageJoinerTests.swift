import Testing
@testable import TraceImport

/// Kernel messages cut over lines: rejoined only when the parser says the message was cut
/// short and the next line continues it; never across a line that opens a record.
@Suite struct CutMessageJoinerTests {
    /// The 4.9–4.13 AMD-Vi halves, with the next CPU's message between them: the second
    /// half is read on its own, the first is part of it.
    @Test func amdViHalvesSurviveInterleaving() throws {
        let text = """
            [    1.578444] AMD-Vi: Event logged [
            [    1.578483] microcode: CPU3: patch_level=0x06000822
            [    1.578485] IO_PAGE_FAULT device=02:00.0 domain=0x0011 address=0x000000010000f400 flags=0x0030]
            """
        let event = try onlyEvent(in: text)
        #expect(event.naming == "amd_iommu_io_page_fault")
        #expect(event.provenance.line == 3)
        #expect(event.provenance.timestampNanoseconds == 1_578_485_000)
        #expect(event.faultKind == .permission)
    }

    /// Back to back, the halves make one record spanning both lines.
    @Test func amdViHalvesBackToBackAreOneRecord() throws {
        let event = try onlyEvent(in: """
            [  221.562629] AMD-Vi: Event logged [
            [  221.565929] IO_PAGE_FAULT device=05:00.0 domain=0x0012 address=0x00000000ff6101b0 flags=0x0070]
            """)
        #expect(event.provenance.line == 1)
        #expect(event.provenance.lineCount == 2)
        #expect(event.provenance.timestampNanoseconds == 221_562_629_000)
        #expect(event.address == 0xff61_01b0)
    }

    /// A DMAR report whose reason a paste moved to an indented line.
    @Test func dmarReasonOnAnIndentedLine() throws {
        let event = try onlyEvent(in: """
            [ 3762.001609] DMAR: [DMA Read NO_PASID] Request device [0b:00.0] fault addr 0x1187a9000
                           [fault reason 0x06] PTE Read access is not set
            """)
        #expect(event.reason == "fault reason 0x06: PTE Read access is not set")
        #expect(event.provenance.lineCount == 2)
    }

    /// An arm-smmu report cut after a comma.
    @Test func armSMMUCutAfterAComma() throws {
        let event = try onlyEvent(in: """
            arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x9c4b9000, fsynr=0x7c0030,
                cbfrsynra=0x800, cb=7
            """)
        #expect(event.device == "15000000.iommu/cb7")
        #expect(event.isWrite == true)
    }

    /// A held message is let go, as it is, at a line that opens a record or a call trace:
    /// one still missing a field its format prints (`[map size=]`, `[unmap size=]`) is not
    /// understood, since the replay could not meet the mismatch it reports; a last field
    /// cut before its `]` still reads.
    @Test func aCutMessageIsReleasedAtTheNextRecord() throws {
        let (_, summary) = try ImportFixture.importing(text: """
            e1000e 0000:00:19.0: DMA-API: device driver frees DMA memory with different size [device address=0x0000000000002000]
            Modules linked in: e1000e
            e1000e 0000:00:19.0: DMA-API: device driver tries to free DMA memory it has not allocated [device address=0x0000000000001000] [size=4096
             [<ffffffff810a1b2c>] ? check_unmap+0x180/0x7c6
            """)
        let source = try #require(summary.sources.first)
        #expect(source.notUnderstood.map(\.line) == [1])
        #expect(source.notUnderstood.first?.reason == "dma_debug without a readable map size")
        let events = TraceText.events(in: "e1000e 0000:00:19.0: DMA-API: device driver tries to free DMA memory it has not allocated [device address=0x0000000000001000] [size=4096\n [<ffffffff810a1b2c>] ? check_unmap+0x180/0x7c6")
        #expect(events.map(\.address) == [0x1000])
        #expect(events.map(\.sizeBytes) == [4096])
        #expect(events.map(\.provenance.lineCount) == [1])
    }

    /// A terminal or a fixed-width console breaks at its column, inside a number too; a mail
    /// client never does. A break after `0x…`/`=…` digits before more hex digits is one
    /// number (`SplitNumber`): joined without a space, whether the cut-message joiner (a
    /// line longer than a mail wraps) or the mail unwrapping (40–100 columns) joins it.
    @Test func aBreakInsideANumberJoinsWithoutASpace() throws {
        let events = TraceText.events(in: """
            [   12.000002] DMA-API: e1000e 0000:00:19.0: device driver tries to free DMA memory it has not allocated [device address=0x000000
            0000001000] [size=4096 bytes]
            [  221.565929] AMD-Vi: Event logged [IO_PAGE_FAULT device=05:00.0 domain=0x0012 address=0x00000000ff61
            01b0 flags=0x0070]
            > [   12.1] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x7ff
            > ff000 [fault reason 0x06] PTE Read access is not set
            """)
        #expect(events.map(\.address) == [0x1000, 0xff61_01b0, 0x7fff_f000])
        #expect(events.map(\.sizeBytes) == [4096, nil, nil])
        #expect(events.map(\.provenance.lineCount) == [2, 2, 2])
    }

    /// Never more than `maximumLines` lines in one message.
    @Test func joinsAtMostAFewLines() throws {
        var text = "e1000e 0000:00:19.0: DMA-API: device driver frees DMA memory with wrong function [device address=0x1000] [size=66 bytes] [mapped as single] [unmapped as"
        for _ in 0..<10 { text += "\n    page" }
        let events = TraceText.events(in: text)
        #expect(events.count == 1)
        #expect(events.first?.provenance.lineCount == CutMessageJoiner.maximumLines)
    }

    /// Prose and stack frames that mention faults and swiotlb are no reports.
    @Test func proseAndFramesAreNotReports() {
        func looks(_ line: String) -> Bool {
            let bytes = Array(line.utf8)
            let record = TraceRecord(text: bytes, prefix: KernelLogPrefix.parse(bytes, from: 0), firstLine: 1, lineCount: 1)
            return ReportLikeText.looksLikeReport(record)
        }
        #expect(!looks("The IOMMU fault at 0x1000 was a use after free."))
        #expect(!looks("[    3.099918]  swiotlb_tbl_map_single+0x214/0x240"))
        #expect(looks("[    3.1] foo 0000:01:00.0: IOMMU page fault at iova 0x1000"))
        #expect(looks("DMA-API: foo 0000:01:00.0: device driver did something new [device address=0x1000]"))
    }

    /// Rate-limit notes of IOMMU reporters are counted apart; others are not DMA.
    @Test func rateLimitNotes() {
        func isNote(_ line: String) -> Bool {
            let bytes = Array(line.utf8)
            return RateLimitNote.isIOMMURateLimit(bytes, 0..<bytes.count)
        }
        #expect(isNote("amd_iommu_report_page_fault: 96 callbacks suppressed"))
        #expect(isNote("dmar_fault: 2474 callbacks suppressed"))
        #expect(!isNote("net_ratelimit: 12 callbacks suppressed"))
    }

    @Test func controlCharactersAreSpelledOut() {
        #expect(TraceImportError.printable("\u{1b}[31mred\u{1b}[0m\r\u{7}\tx") == "\\e[31mred\\e[0m\\r\\x07\tx")
        #expect(TraceImportError.cut("\u{9b}2J") == "\\x9b2J")
    }
}
