/// Calendar times as logs print them: month names, `dmesg -T`'s ctime form, and the
/// epoch seconds QEMU's trace prefix carries.
enum CalendarText {
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
    static let weekdays: [[UInt8]] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }

    /// The month (1…12) named by the three bytes at `index`.
    static func month(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 3 <= bytes.count else { return nil }
        return months.firstIndex { bytes.hasPrefix($0, at: index) }.map { $0 + 1 }
    }

    static func isWeekday(_ bytes: [UInt8], at index: Int) -> Bool {
        weekdays.contains { bytes.hasPrefix($0, at: index) }
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

    /// UTC calendar time of Unix epoch seconds, ISO 8601 with the microseconds given:
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
