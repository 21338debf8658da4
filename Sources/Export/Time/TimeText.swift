/// Kernel times and durations as people read them: `12.094264` seconds since boot as
/// ftrace prints them (nine decimals when the time has nanoseconds), durations in the
/// largest unit that keeps them whole-ish (`250ns`, `12µs`, `3ms`, `2s`).
enum TimeText {
    /// Seconds since boot: `12.094264`, or `12.094264001` when the nanoseconds matter.
    static func seconds(_ nanoseconds: Int64) -> String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000, fraction = magnitude % 1_000_000_000
        let digits = fraction % 1000 == 0 ? pad(fraction / 1000, to: 6) : pad(fraction, to: 9)
        return sign + String(whole) + "." + digits
    }

    /// A duration in the largest unit of ns, µs, ms and s it reaches, rounded down.
    static func duration(_ nanoseconds: UInt64) -> String {
        let units: [(UInt64, String)] = [(1_000_000_000, "s"), (1_000_000, "ms"), (1000, "µs")]
        for (size, unit) in units where nanoseconds >= size { return String(nanoseconds / size) + unit }
        return String(nanoseconds) + "ns"
    }

    private static func pad(_ value: UInt64, to width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(width - text.count, 0)) + text
    }
}
