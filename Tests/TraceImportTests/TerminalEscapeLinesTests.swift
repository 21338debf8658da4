import Testing
@testable import TraceImport

/// A log copied from a terminal (`dmesg --color=always`) loses its colour codes and reads
/// as the plain log; lines without ESC pass unchanged.
@Suite struct TerminalEscapeLinesTests {
    func lines(_ text: String) -> [String] {
        let reader = TerminalEscapeLines(TextLines(text))
        var lines: [String] = []
        while let line = reader.next() { lines.append(String(decoding: line, as: UTF8.self)) }
        return lines
    }

    @Test func colourCodesGoAndTheTextStays() {
        let coloured = "\u{1B}[32m[   12.345678] \u{1B}[0m\u{1B}[33mnvme 0000:01:00.0\u{1B}[0m: DMA-API: device driver frees DMA memory"
        #expect(lines(coloured) == ["[   12.345678] nvme 0000:01:00.0: DMA-API: device driver frees DMA memory"])
    }

    @Test func parametersIntermediatesAndTwoByteEscapesGo() {
        #expect(lines("a\u{1B}[1;31mb\u{1B}[?25hc\u{1B}(Bd\u{1B}[ qe") == ["abcde"])
    }

    @Test func aCutSequenceAtTheEndOfALineIsDropped() {
        #expect(lines("text\u{1B}[3") == ["text"])
        #expect(lines("text\u{1B}") == ["text"])
    }

    @Test func plainLinesPassUnchanged() {
        #expect(lines("[    5.1] DMAR: [DMA Write NO_PASID] Request device [01:00.0] fault addr 0xfffd1000\nnext") ==
                ["[    5.1] DMAR: [DMA Write NO_PASID] Request device [01:00.0] fault addr 0xfffd1000", "next"])
    }
}
