/// Calendar times as logs print them: month names, `dmesg -T`'s ctime form, ISO 8601 in
/// its syslog, journald and `dmesg --time-format iso` spellings, and the epoch seconds
/// QEMU's trace prefix and `journalctl -o short-unix` carry.
enum CalendarText {
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
    static let weekdays: [[UInt8]] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }

    /// The month (1…12) named by the three bytes at `index`.
    static func month(_ bytes: [UInt8], at index: Int) -> Int? {
        // Every month name starts with one of these capitals: a cheap test before the table.
        guard index + 3 <= bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "J"), UInt8(ascii: "F"), UInt8(ascii: "M"), UInt8(ascii: "A"),
             UInt8(ascii: "S"), UInt8(ascii: "O"), UInt8(ascii: "N"), UInt8(ascii: "D"):
            return months.firstIndex { bytes.hasPrefix($0, at: index) }.map { $0 + 1 }
        default:
            return nil
        }
    }

    static func isWeekday(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 3 <= bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "M"), UInt8(ascii: "T"), UInt8(ascii: "W"), UInt8(ascii: "F"), UInt8(ascii: "S"):
            return weekdays.contains { bytes.hasPrefix($0, at: index) }
        default:
            return false
        }
    }

    /// `hh:mm:ss` at `index`: the index after it, or nil.
    static func clockEnd(_ bytes: [UInt8], at index: Int, seconds: Bool = true) -> Int? {
        let pattern: [Bool] = seconds ? [true, true, false, true, true, false, true, true] : [true, true, false, true, true]
        guard index + pattern.count <= bytes.count else { return nil }
        for (offset, isDigit) in pattern.enumerated() {
            let byte = bytes[index + offset]
            if isDigit ? !byte.isDigit : byte != .colon { return nil }
        }
        return index + pattern.count
    }

    /// `hh:mm:ss` and an optional fraction (`.123456`, or dmesg's `,123456`): the index after.
    static func clockWithFractionEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard var end = clockEnd(bytes, at: index) else { return nil }
        if end + 1 < bytes.count, bytes[end] == .dot || bytes[end] == .comma, bytes[end + 1].isDigit {
            end += 1
            while end < bytes.count, bytes[end].isDigit { end += 1 }
        }
        return end
    }

    /// `YYYY-MM-DD` at `index`: the index after it.
    static func dateEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 10 <= bytes.count else { return nil }
        for offset in 0..<10 {
            let byte = bytes[index + offset]
            if offset == 4 || offset == 7 { guard byte == .dash else { return nil } } else { guard byte.isDigit else { return nil } }
        }
        return index + 10
    }

    /// ISO 8601 as logs print it: `YYYY-MM-DDThh:mm:ss[.frac][Z|±hh:mm|±hhmm]`, the `T` also
    /// a space (`2024-01-05 10:11:12`), the fraction also after a comma (`dmesg
    /// --time-format iso`: `2024-01-05T10:11:12,123456+01:00`). The index after it.
    static func isoTimeEnd(_ bytes: [UInt8], at start: Int) -> Int? {
        guard let date = dateEnd(bytes, at: start), date < bytes.count,
              bytes[date] == UInt8(ascii: "T") || bytes[date] == .space,
              var index = clockWithFractionEnd(bytes, at: date + 1) else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if index + 6 <= bytes.count, bytes[index] == .plus || bytes[index] == .dash, bytes[index + 3] == .colon,
                  bytes[index + 1].isDigit, bytes[index + 2].isDigit, bytes[index + 4].isDigit, bytes[index + 5].isDigit {
            index += 6
        } else if index + 5 <= bytes.count, bytes[index] == .plus || bytes[index] == .dash,
                  bytes[(index + 1)..<(index + 5)].allSatisfy(\.isDigit) {
            index += 5   // journalctl -o short-iso: +0100
        }
        return index
    }

    /// UTC calendar time of Unix epoch seconds, ISO 8601 with the fraction given:
    /// `2023-02-13T07:02:37.075075Z`. (Days to civil date: Howard Hinnant's algorithm.)
    static func iso8601UTC(epochSeconds: UInt64, fraction: String) -> String {
        let days = Int64(epochSeconds / 86_400)
        let secondsOfDay = Int(epochSeconds % 86_400)
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let time = "\(pad(secondsOfDay / 3600)):\(pad(secondsOfDay / 60 % 60)):\(pad(secondsOfDay % 60))"
        return "\(year)-\(pad(Int(month)))-\(pad(Int(day)))T\(time)" + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
