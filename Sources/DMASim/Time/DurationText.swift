/// Nanosecond times and durations as op scripts, messages and the CLI write them: a
/// decimal with a unit, `12.094264s`, `10ms`, `250us`, `5000ns`.
///
/// `text(of:)` writes the shortest exact form (ties go to the larger unit), so
/// `value(of: text(of: n)) == n` and `text(of: value(of: t)) == t` for canonical `t`.
public enum DurationText {
    /// Why a text is not a duration.
    public enum Failure: Error, Sendable, Hashable {
        /// Not digits[.digits] followed by s, ms, us or ns.
        case malformed
        /// More fractional digits than the unit has nanoseconds for (`1.5ns`).
        case finerThanNanoseconds
        /// Does not fit in 64 bits of nanoseconds (about 584 years).
        case overflow
    }

    /// Units, largest first, with how many nanoseconds each is and its decimal digits.
    static let units: [(suffix: String, nanoseconds: UInt64, digits: Int)] = [
        ("s", 1_000_000_000, 9), ("ms", 1_000_000, 6), ("us", 1_000, 3), ("ns", 1, 0),
    ]

    /// The spellings, for messages.
    public static let form = "a time with a unit (12.094264s, 10ms, 250us, 5000ns)"

    /// The nanoseconds `text` spells (`form`); a `Failure` naming the problem otherwise.
    public static func value(of text: String) throws(Failure) -> UInt64 {
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) && !Self.endsInLongerUnit(text, $0.suffix) }) else {
            throw .malformed
        }
        let number = text.dropLast(unit.suffix.count)
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || !fraction.isEmpty else { throw .malformed }
        guard fraction.count <= unit.digits else { throw .finerThanNanoseconds }
        guard let wholeValue = UInt64(whole) else { throw .overflow }
        let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: unit.nanoseconds)
        let fractionValue = (UInt64(fraction) ?? 0) * Self.power(unit.digits - fraction.count)
        guard !overflow, scaled <= UInt64.max - fractionValue else { throw .overflow }
        return scaled + fractionValue
    }

    /// The shortest exact spelling of `nanoseconds`; of equally short ones, the larger unit.
    public static func text(of nanoseconds: UInt64) -> String {
        var best = spelling(nanoseconds, in: units[0])
        for unit in units.dropFirst() {
            let candidate = spelling(nanoseconds, in: unit)
            if candidate.count < best.count { best = candidate }
        }
        return best
    }

    /// `nanoseconds` in one unit: whole part, then the fraction without trailing zeros.
    private static func spelling(_ nanoseconds: UInt64, in unit: (suffix: String, nanoseconds: UInt64, digits: Int)) -> String {
        let whole = nanoseconds / unit.nanoseconds, rest = nanoseconds % unit.nanoseconds
        guard rest != 0 else { return String(whole) + unit.suffix }
        var digits = String(rest)
        digits = String(repeating: "0", count: unit.digits - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return String(whole) + "." + digits + unit.suffix
    }

    /// `10ms` ends in `s` too: `s` matches only when no longer unit does.
    private static func endsInLongerUnit(_ text: String, _ suffix: String) -> Bool {
        suffix == "s" && (text.hasSuffix("ms") || text.hasSuffix("us") || text.hasSuffix("ns"))
    }

    private static func power(_ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(1) { product, _ in product * 10 }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
