extension String {
    /// `0x06`: a small hexadecimal value as the kernel's newer reports print it (two digits at least).
    init(format2 value: UInt64) {
        let digits = String(value, radix: 16)
        self = "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    /// The text without `suffix` at its end, when it has it.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
