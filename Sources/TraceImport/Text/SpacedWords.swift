/// Words separated by spaces, for `key value` formats (`sid 0xb00 fault 6 addr 0x…`).
struct SpacedWords {
    let bytes: [UInt8]
    private let words: [Range<Int>]

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        var words: [Range<Int>] = []
        while true {
            scanner.skipSpaces()
            if scanner.isAtEnd { break }
            words.append(scanner.word())
        }
        self.words = words
    }

    /// The word after the first `key` (a trailing `:` on the value is dropped).
    func word(after key: String) -> String? {
        let keyBytes = Array(key.utf8)
        guard let index = words.firstIndex(where: { $0.count == keyBytes.count && bytes.hasPrefix(keyBytes, at: $0.lowerBound) }),
              index + 1 < words.count else { return nil }
        return bytes.text(words[index + 1]).trimmingSuffix(":")
    }

    /// The number in the word after `key`, after an optional `prefix` (`iova:0x…`).
    func number(after key: String, prefix: String = "") -> UInt64? {
        guard var text = word(after: key), text.hasPrefix(prefix) else { return nil }
        text.removeFirst(prefix.count)
        let valueBytes = Array(text.utf8)
        return TextScanner.numberValue(valueBytes, valueBytes.digitsPrefixOfNumber())
    }
}

extension Array where Element == UInt8 {
    /// The leading `0x…` or decimal digits.
    func digitsPrefixOfNumber() -> Range<Int> {
        var upper = hasPrefix(.hexPrefix) ? 2 : 0
        let hex = upper == 2
        while upper < count, self[upper].isDigit || (hex && self[upper].hexDigitValue != nil) { upper += 1 }
        return 0..<upper
    }
}
