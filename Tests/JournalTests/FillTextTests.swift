import DMASim
import Testing
@testable import Journal

@Suite struct FillTextTests {
    /// The writer binds `withUTF8`'s bytes; the reader parses `text(of:)`'s spelling. The
    /// two must never drift apart, seeds at both ends of UInt64 included.
    @Test(arguments: [Fill.seed(0), .seed(7), .seed(1_000_000), .seed(UInt64.max), .byte(0x0a), .pattern([0xde, 0xad, 0x01]), .zero])
    func withUTF8SpellsTheStoredText(fill: Fill) {
        let spelled = FillText.withUTF8(of: fill) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
        #expect(spelled == FillText.text(of: fill))
        #expect(spelled.flatMap(FillText.fill(from:)) == fill)
    }

    @Test func noFillIsNoBytes() {
        #expect(FillText.withUTF8(of: nil) { $0 == nil })
    }
}
