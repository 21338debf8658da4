/// Numbers as op scripts write them: decimal or `0x` hex, with an optional size suffix
/// `K`, `M`, `G` or `T` (powers of 1024, either case): `4096`, `0x1000`, `64K`, `1T`.
///
/// The printer writes addresses as lower-case hex (`hex`) and sizes with the largest
/// suffix that is exact (`size`), so both read back to the same value.
public enum ScriptNumber {
    /// Why a text is not a number.
    public enum Failure: Error, Sendable, Hashable {
        /// Not of the form digits-with-optional-suffix.
        case malformed
        /// Well formed, but the value does not fit in 64 bits.
        case overflow
    }

    /// Suffix letters and the power of two each multiplies by.
    static let suffixShifts: [Character: UInt64] = ["K": 10, "M": 20, "G": 30, "T": 40]

    /// The value of `text`, or why it has none.
    public static func value(of text: String) throws(Failure) -> UInt64 {
        var digits = Substring(text)
        var shift: UInt64 = 0
        if let last = digits.last, let suffixShift = suffixShifts[Character(last.uppercased())] {
            shift = suffixShift
            digits = digits.dropLast()
        }
        let scalar = try digitsValue(digits)
        guard scalar <= UInt64.max >> shift else { throw .overflow }
        return scalar << shift
    }

    /// `0x` followed by the value in lower-case hex: how addresses are printed.
    public static func hex(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    /// A size with the largest suffix that divides it exactly (`64K`, `2M`, `1T`), or plain
    /// decimal when it is not a whole number of KiB (`0`, `1536`).
    public static func size(_ value: UInt64) -> String {
        guard value != 0 else { return "0" }
        for (suffix, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] as [(String, UInt64)]
        where value.trailingZeroBitCount >= shift {
            return String(value >> shift) + suffix
        }
        return String(value)
    }

    /// Decimal, or hex after `0x`/`0X`; at least one digit, nothing else.
    private static func digitsValue(_ digits: Substring) throws(Failure) -> UInt64 {
        let isHex = digits.hasPrefix("0x") || digits.hasPrefix("0X")
        let body = isHex ? digits.dropFirst(2) : digits
        let radix = isHex ? 16 : 10
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isHexDigit && (isHex || $0.isNumber) })
        else { throw .malformed }
        // Every character is a digit of the radix, so a nil here can only be overflow.
        guard let value = UInt64(body, radix: radix) else { throw .overflow }
        return value
    }
}

extension ScriptNumber {
    /// Reads a token as a number, or says what a number looks like.
    static func read(_ token: Token) throws(TokenError) -> UInt64 {
        do {
            return try value(of: token.text)
        } catch {
            switch error {
            case .malformed: throw .expected("a number (decimal or 0x hex, optional K/M/G/T suffix)", found: token)
            case .overflow: throw .expected("a number that fits in 64 bits", found: token)
            }
        }
    }

    /// Reads a token as a number inside `range`; `wanted` names what the number is.
    static func read(_ token: Token, in range: ClosedRange<UInt64>, as wanted: String) throws(TokenError) -> Int {
        let value = try read(token)
        guard range.contains(value) else { throw .expected(wanted, found: token) }
        return Int(value)
    }
}
