/// The `key=value` fields of a trace line (`dma_addr=fe980000 size=524288 …`). Tokens are
/// separated by spaces or commas; a token that starts with `=` belongs to the word before
/// it (`address =0x…` in QEMU's virtio-iommu fault). The first occurrence of a key wins,
/// so prose a mail client glued onto a line cannot override the kernel's own field.
struct KeyValueFields {
    let bytes: [UInt8]
    /// Key and value ranges, in line order: one array, sized once for a tracepoint's
    /// handful of fields (growing two arrays field by field was 2 % of an import).
    private var fields: [(key: Range<Int>, value: Range<Int>)] = []

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        fields.reserveCapacity(8)
        var index = range.lowerBound
        var previousWord: Range<Int>?
        while index < range.upperBound {
            while index < range.upperBound, Self.isSeparator(bytes[index]) { index += 1 }
            let start = index
            while index < range.upperBound, !Self.isSeparator(bytes[index]) { index += 1 }
            guard start < index else { break }
            if bytes[start] == .equals, let word = previousWord {
                fields.append((word, (start + 1)..<index))
            } else if let equals = bytes[start..<index].firstIndex(of: .equals), equals > start {
                fields.append((start..<equals, (equals + 1)..<index))
            }
            previousWord = start..<index
        }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool { byte == .space || byte == .tab || byte == .comma }

    /// The value of the first `key`, as a byte range.
    func range(_ key: [UInt8]) -> Range<Int>? {
        for field in fields where field.key.count == key.count && bytes.hasPrefix(key, at: field.key.lowerBound) {
            return field.value
        }
        return nil
    }

    func text(_ key: [UInt8]) -> String? { range(key).map { bytes.text($0) } }

    /// A value printed in hexadecimal (`%llx`, with or without `0x`).
    func hex(_ key: [UInt8]) -> UInt64? {
        guard let range = range(key) else { return nil }
        let digits = bytes.hasPrefix(.hexPrefix, at: range.lowerBound) ? (range.lowerBound + 2)..<range.upperBound : range
        return TextScanner.hexValue(bytes, Self.untilNonDigit(bytes, digits, hex: true))
    }

    /// A value printed in decimal (`%zu`, `%d`).
    func decimal(_ key: [UInt8]) -> UInt64? {
        guard let range = range(key) else { return nil }
        return TextScanner.decimalValue(bytes, Self.untilNonDigit(bytes, range, hex: false))
    }

    /// `0x…` as hexadecimal, otherwise decimal.
    func number(_ key: [UInt8]) -> UInt64? {
        guard let range = range(key) else { return nil }
        return bytes.hasPrefix(.hexPrefix, at: range.lowerBound) ? hex(key) : decimal(key)
    }

    /// A signed decimal (`err=-12`).
    func signedDecimal(_ key: [UInt8]) -> Int? {
        guard let range = range(key), !range.isEmpty else { return nil }
        let negative = bytes[range.lowerBound] == .dash
        let digits = negative ? (range.lowerBound + 1)..<range.upperBound : range
        guard let value = TextScanner.decimalValue(bytes, Self.untilNonDigit(bytes, digits, hex: false)), value <= UInt64(Int.max) else { return nil }
        return negative ? -Int(value) : Int(value)
    }

    /// A value's digits, stopping at trailing punctuation (`cb=6]`, `0x1234)`).
    private static func untilNonDigit(_ bytes: [UInt8], _ range: Range<Int>, hex: Bool) -> Range<Int> {
        var upper = range.lowerBound
        while upper < range.upperBound, bytes[upper].isDigit || (hex && bytes[upper].hexDigitValue != nil) { upper += 1 }
        return range.lowerBound..<upper
    }
}
