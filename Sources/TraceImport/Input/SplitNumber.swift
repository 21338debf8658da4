/// Whether a line break fell inside a number. A mail client or editor breaks at spaces
/// and never inside a word; a terminal, or a serial console of fixed width, breaks at its
/// column wherever that falls, so a copied log can read
///
///     … [device address=0x00000000
///     00001000] [size=4096 bytes]
///
/// Joined with a space, that is the address 0 and a stray word: a value read wrongly.
/// The break is inside a number when the text before it ends in hex digits right after
/// `0x` or `=` (a value being printed) and the text after it starts with hex digits that
/// end where a value does (a space, `]`, `,`, `)`, `+`, the end); the two halves are then
/// one token and are joined without a space.
enum SplitNumber {
    static let valueEnds: Set<UInt8> = [.space, .closeBracket, .comma, .closeParen, .plus]

    static func isInside(_ before: ArraySlice<UInt8>, _ after: ArraySlice<UInt8>) -> Bool {
        guard let last = before.last, last.hexDigitValue != nil || last == UInt8(ascii: "x") else { return false }
        var start = before.endIndex
        while start > before.startIndex, before[start - 1].hexDigitValue != nil { start -= 1 }
        let opensValue: Bool
        if start - 2 >= before.startIndex, before[start - 1] | 0x20 == UInt8(ascii: "x"), before[start - 2] == .zero {
            opensValue = true
        } else if start > before.startIndex, before[start - 1] == .equals {
            opensValue = true
        } else if last == UInt8(ascii: "x"), before.count >= 2, before[before.endIndex - 2] == .zero {
            opensValue = true   // `0x` with its digits all on the next line
        } else {
            opensValue = false
        }
        guard opensValue else { return false }
        var end = after.startIndex
        while end < after.endIndex, after[end].hexDigitValue != nil { end += 1 }
        return end > after.startIndex && (end == after.endIndex || valueEnds.contains(after[end]))
    }
}
