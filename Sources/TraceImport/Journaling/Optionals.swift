/// Both values, when both are there.
func both<First, Second>(_ first: First?, _ second: Second?) -> (First, Second)? {
    guard let first, let second else { return nil }
    return (first, second)
}

/// `0x…` in lower-case hexadecimal, for notes.
func hexText(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
