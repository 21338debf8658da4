/// ASCII bytes the scanners test for, by name.
extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let escape: UInt8 = 0x1B
    static let zero = UInt8(ascii: "0")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let dash = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let at = UInt8(ascii: "@")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: ">")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let underscore = UInt8(ascii: "_")
    static let slash = UInt8(ascii: "/")
    static let backslash = UInt8(ascii: "\\")
    static let pipe = UInt8(ascii: "|")

    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    var isSpace: Bool { self == .space || self == .tab }

    var hexDigitValue: UInt8? {
        switch self {
        case 0x30...0x39: return self - 0x30
        case 0x61...0x66: return self - 0x61 + 10
        case 0x41...0x46: return self - 0x41 + 10
        default: return nil
        }
    }
}

extension Array where Element == UInt8 {
    static let hexPrefix: [UInt8] = Array("0x".utf8)

    /// The text of `range` as a String (invalid UTF-8 repaired).
    func text(_ range: Range<Int>) -> String {
        String(decoding: self[range], as: UTF8.self)
    }

    /// `range` without leading and trailing spaces and tabs.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, self[lower].isSpace { lower += 1 }
        while upper > lower, self[upper - 1].isSpace { upper -= 1 }
        return lower..<upper
    }

    func hasPrefix(_ prefix: [UInt8], at start: Int = 0) -> Bool {
        guard count - start >= prefix.count else { return false }
        for (offset, byte) in prefix.enumerated() where self[start + offset] != byte { return false }
        return true
    }

    func contains(_ needle: [UInt8], from start: Int = 0) -> Bool {
        TextScanner.find(needle, in: self, from: start) != nil
    }

    /// The leading `0x…` or decimal digits of `range` (`0x00000000443d7040` of a value
    /// a paste cut or ran into other text).
    func numberPrefix(_ range: Range<Int>) -> Range<Int> {
        // `0x` alone is a number cut after its prefix: kept whole, so it reads as no value, not 0.
        let isHex = range.count >= 2 && self[range.lowerBound] == .zero && self[range.lowerBound + 1] | 0x20 == UInt8(ascii: "x")
        var upper = range.lowerBound + (isHex ? 2 : 0)
        while upper < range.upperBound, self[upper].isDigit || (isHex && self[upper].hexDigitValue != nil) { upper += 1 }
        return range.lowerBound..<upper
    }

    /// The leading digits of `range` (`34816` of `34816 bytes`).
    func digitsPrefix(_ range: Range<Int>) -> Range<Int> {
        var upper = range.lowerBound
        while upper < range.upperBound, self[upper].isDigit { upper += 1 }
        return range.lowerBound..<upper
    }
}

/// The bytes of a literal, for the scanners' `skip` and `find`.
func utf8(_ text: StaticString) -> [UInt8] {
    text.withUTF8Buffer { Array($0) }
}
