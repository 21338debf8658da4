import Testing
@testable import TraceImport

/// A raw mail's quoted-printable body is decoded, from its header or its first `=3D`;
/// before either, a line ending in `=` is a line ending in `=`.
@Suite struct QuotedPrintableLinesTests {
    func lines(_ text: String) -> [(number: Int, text: String)] {
        let reader = QuotedPrintableLines(TextLines(text))
        var lines: [(Int, String)] = []
        while let line = reader.next() { lines.append((reader.lineNumber, String(decoding: line, as: UTF8.self))) }
        return lines
    }

    @Test func decodesAfterTheHeader() {
        let decoded = lines("""
            Content-Transfer-Encoding: quoted-printable

            [    7.957071] NULL NULL: DMA-API: device driver tries to free DMA memory i=
            t has not allocated [device address=3D0x000000000001a000] [size=3D256 bytes]
            next
            """)
        #expect(decoded.map(\.text) == ["Content-Transfer-Encoding: quoted-printable", "",
                                        "[    7.957071] NULL NULL: DMA-API: device driver tries to free DMA memory it has not allocated [device address=0x000000000001a000] [size=256 bytes]",
                                        "next"])
        #expect(decoded.map(\.number) == [1, 2, 3, 5])
    }

    @Test func startsAtTheFirstEscapedEquals() {
        let decoded = lines("""
            kworker/2:1-118 [002] ..... 312.100200: dma_map_page: 0000:00:14.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=11d4c2000 attrs=
            [ 1.0] e1000e 0000:00:19.0: DMA-API: device driver frees DMA memory with different size [device address=3D0x2000] =
            [map size=3D4096 bytes]
            """)
        #expect(decoded.map(\.text) == [
            "kworker/2:1-118 [002] ..... 312.100200: dma_map_page: 0000:00:14.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=11d4c2000 attrs=",
            "[ 1.0] e1000e 0000:00:19.0: DMA-API: device driver frees DMA memory with different size [device address=0x2000] [map size=4096 bytes]",
        ])
    }

    @Test func anotherEncodingEndsIt() {
        let decoded = lines("Content-Transfer-Encoding: quoted-printable\na=3Db\nContent-Transfer-Encoding: 7bit\na=3Db")
        #expect(decoded.map(\.text).suffix(2) == ["Content-Transfer-Encoding: 7bit", "a=3Db"])
        #expect(decoded[1].text == "a=b")
    }
}
