/// A cursor over one line's UTF-8 bytes. Every parser reads through it: hand-written
/// scanning, no regular expressions, so a 100 MB log costs one pass and no backtracking.
struct TextScanner {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }
    var current: UInt8? { position < end ? bytes[position] : nil }

    func byte(at offset: Int) -> UInt8? {
        let index = position + offset
        return index < end ? bytes[index] : nil
    }

    mutating func skipSpaces() {
        while position < end, bytes[position] == .space || bytes[position] == .tab { position += 1 }
    }

    /// Consumes `literal` when the text continues with it.
    mutating func skip(_ literal: [UInt8]) -> Bool {
        guard startsWith(literal) else { return false }
        position += literal.count
        return true
    }

    mutating func skip(byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    func startsWith(_ literal: [UInt8]) -> Bool {
        guard end - position >= literal.count else { return false }
        for (offset, byte) in literal.enumerated() where bytes[position + offset] != byte { return false }
        return true
    }

    /// Bytes up to the next space or tab (or the end).
    mutating func word() -> Range<Int> {
        let start = position
        while position < end, bytes[position] != .space, bytes[position] != .tab { position += 1 }
        return start..<position
    }

    /// A hexadecimal number, with or without `0x`; nil (and nothing consumed) when there is none.
    mutating func hex() -> UInt64? {
        let start = position
        if startsWith(.hexPrefix) { position += 2 }
        guard let value = Self.hexValue(bytes, position..<digitsEnd(hex: true)) else { position = start; return nil }
        position = digitsEnd(hex: true)
        return value
    }

    /// A decimal number; nil (and nothing consumed) when there is none.
    mutating func decimal() -> UInt64? {
        let stop = digitsEnd(hex: false)
        guard let value = Self.decimalValue(bytes, position..<stop) else { return nil }
        position = stop
        return value
    }

    /// `0x…` as hexadecimal, anything else as decimal.
    mutating func number() -> UInt64? {
        startsWith(.hexPrefix) ? hex() : decimal()
    }

    private func digitsEnd(hex: Bool) -> Int {
        var index = position
        while index < end, bytes[index].isDigit || (hex && bytes[index].hexDigitValue != nil) { index += 1 }
        return index
    }

    /// The index of the first `needle` at or after `from`, before the end.
    func find(_ needle: [UInt8], from start: Int? = nil) -> Int? {
        Self.find(needle, in: bytes, from: start ?? position, to: end)
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        guard let first = needle.first, end - start >= needle.count else { return nil }
        var index = start
        let last = end - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    static func hexValue(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 16 else { return nil }
        var value: UInt64 = 0
        for index in range {
            guard let digit = bytes[index].hexDigitValue else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func decimalValue(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 20 else { return nil }
        var value: UInt64 = 0
        for index in range {
            guard bytes[index].isDigit else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - .zero))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// `0x…` hexadecimal, else decimal, over a whole range.
    static func numberValue(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        if range.count > 2, bytes[range.lowerBound] == .zero, bytes[range.lowerBound + 1] | 0x20 == UInt8(ascii: "x") {
            return hexValue(bytes, (range.lowerBound + 2)..<range.upperBound)
        }
        return decimalValue(bytes, range)
    }
}
