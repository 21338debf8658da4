/// How a value reads in table and CSV output.
extension SQLValue {
    /// The value as text; nil for NULL. Reals use Swift's shortest round-trip form, blobs
    /// their bytes in hex with an `x` prefix, as SQL writes blob literals.
    public var plainText: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let text): return text
        case .blob(let bytes): return "x" + bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
    }
}
