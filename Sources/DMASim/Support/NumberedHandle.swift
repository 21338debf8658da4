/// A handle spelled as a prefix and a decimal number (`s42`, `m7`, `u3`): what every
/// producer makes, and dense in number over a run, so tables of millions of handles file
/// them in pages by number instead of hashing strings (`EpitaphTable`, the journal writer's
/// `HandleNumbers`, the trace import's `HandleFactsTable`).
package struct NumberedHandle: Hashable, Sendable {
    package let prefix: String
    package let number: UInt64

    /// `s42` → ("s", 42): a non-empty prefix ending in a non-digit, then 1–15 digits with
    /// no leading zero (so `s042` is not `s42`); nil for any other spelling.
    package init?(_ handle: String) {
        let utf8 = handle.utf8
        var digitsStart = utf8.endIndex
        while digitsStart > utf8.startIndex {
            let before = utf8.index(before: digitsStart)
            guard utf8[before] >= UInt8(ascii: "0") && utf8[before] <= UInt8(ascii: "9") else { break }
            digitsStart = before
        }
        let digitCount = utf8.distance(from: digitsStart, to: utf8.endIndex)
        guard digitsStart > utf8.startIndex, (1...15).contains(digitCount),
              digitCount == 1 || utf8[digitsStart] != UInt8(ascii: "0") else { return nil }
        var number: UInt64 = 0
        for digit in utf8[digitsStart...] { number = number * 10 + UInt64(digit - UInt8(ascii: "0")) }
        prefix = String(handle[..<digitsStart])
        self.number = number
    }
}
