import DMASim

/// What a write puts in memory, and what a `bytes=` claim says a read returned:
/// `seed:N`, `byte:0xAB`, `hex:DEADBEEF` (the pattern repeats) or `zero`.
enum FillSyntax {
    static let expectedFill = "a fill (seed:N, byte:0xAB, hex:DEADBEEF, zero)"

    static func read(_ token: Token) throws(TokenError) -> Fill {
        if token.text == "zero" { return .zero }
        if token.text.hasPrefix("seed:") { return .seed(try ScriptNumber.read(token.dropping(5))) }
        if token.text.hasPrefix("byte:") { return .byte(try byteValue(token.dropping(5))) }
        if token.text.hasPrefix("hex:") { return .pattern(try hexBytes(token.dropping(4))) }
        throw .expected(expectedFill, found: token)
    }

    /// Canonical text: seed in decimal, byte and pattern in lower-case hex.
    static func text(of fill: Fill) -> String {
        switch fill {
        case .seed(let seed): return "seed:\(seed)"
        case .byte(let value): return "byte:" + ScriptNumber.hex(UInt64(value))
        case .pattern(let bytes): return "hex:" + bytes.map(hexPair).joined()
        case .zero: return "zero"
        }
    }

    private static func byteValue(_ token: Token) throws(TokenError) -> UInt8 {
        UInt8(try ScriptNumber.read(token, in: 0...0xFF, as: "a byte value from 0 to 0xff"))
    }

    /// Two hex digits per byte, at least one byte.
    private static func hexBytes(_ token: Token) throws(TokenError) -> [UInt8] {
        let digits = Array(token.text)
        guard !digits.isEmpty, digits.count % 2 == 0, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw .expected("an even, non-zero number of hex digits", found: token)
        }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    private static func hexPair(_ byte: UInt8) -> String {
        byte < 0x10 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }
}
