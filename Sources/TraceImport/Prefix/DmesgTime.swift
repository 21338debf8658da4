/// dmesg's bracketed time before a message: seconds since boot, a ctime (`-T`), a
/// human time or delta (`-H`), seconds with a delta (`-d`).
enum DmesgTime {
    /// Reads `[…]` at the scanner into `prefix`; false (nothing consumed) for any other
    /// bracket, such as `[fault reason 05]`.
    static func read(_ scanner: inout TextScanner, into prefix: inout LinePrefix) -> Bool {
        let bytes = scanner.bytes
        let start = scanner.position
        guard start < bytes.count, bytes[start] == .openBracket,
              let close = bytes[start...].prefix(48).firstIndex(of: .closeBracket) else { return false }
        var inner = bytes.trimmed((start + 1)..<close)
        if let delta = bytes[inner].firstIndex(of: .lessThan) {
            // `[   12.345678 <    0.000123>]`: the delta to the line before is not kept.
            guard bytes[(delta + 1)..<inner.upperBound].allSatisfy({ $0.isDigit || $0 == .dot || $0 == .space || $0 == .greaterThan }) else { return false }
            inner = bytes.trimmed(inner.lowerBound..<delta)
            if inner.isEmpty { scanner.position = close + 1; return true }   // `[<    0.000012>]`
        }
        if let nanoseconds = secondsValue(bytes, inner) {
            prefix.timestampNanoseconds = nanoseconds
        } else if let wallClock = ctime(bytes, inner) {
            prefix.wallClock = wallClock
        } else if isHumanTime(bytes, inner) {
            // dmesg -H: `[Aug 4 09:48]` is a calendar time; `[+0.000012]` a delta, not kept.
            if bytes[inner.lowerBound] != .plus { prefix.wallClock = bytes.text(inner) }
        } else {
            return false
        }
        scanner.position = close + 1
        return true
    }

    private static func secondsValue(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard let dot = bytes[range].firstIndex(of: .dot) else { return nil }
        return LinePrefix.nanoseconds(bytes, seconds: range.lowerBound..<dot, fraction: (dot + 1)..<range.upperBound)
    }

    /// `Thu Jan  4 23:12:54 2024` → `2024-01-04T23:12:54` (local time: dmesg -T gives no zone).
    private static func ctime(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        var scanner = TextScanner(bytes, from: range.lowerBound, to: range.upperBound)
        guard CalendarText.isWeekday(bytes, at: scanner.position) else { return nil }
        scanner.position += 3
        scanner.skipSpaces()
        guard let month = CalendarText.month(bytes, at: scanner.position) else { return nil }
        scanner.position += 3
        scanner.skipSpaces()
        guard let day = scanner.decimal(), (1...31).contains(day) else { return nil }
        scanner.skipSpaces()
        let clockStart = scanner.position
        guard let clockEnd = CalendarText.clockEnd(bytes, at: clockStart) else { return nil }
        scanner.position = clockEnd
        scanner.skipSpaces()
        let yearStart = scanner.position
        guard scanner.decimal() != nil, scanner.isAtEnd else { return nil }
        return "\(bytes.text(yearStart..<scanner.position))-\(CalendarText.pad(month))-\(CalendarText.pad(Int(day)))T\(bytes.text(clockStart..<clockEnd))"
    }

    /// dmesg -H: `Aug 4 09:48`, `Aug 4 09:48:12` or `+0.000012`.
    private static func isHumanTime(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        if bytes[range.lowerBound] == .plus {
            return bytes[(range.lowerBound + 1)..<range.upperBound].allSatisfy { $0.isDigit || $0 == .dot }
        }
        return CalendarText.month(bytes, at: range.lowerBound) != nil && bytes[range].contains(.colon)
    }
}
