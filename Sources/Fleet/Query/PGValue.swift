import Journal

/// Values between libpq's text format and `SQLValue`, so a store's answer prints as the
/// same journal's answer does in SQLite: integers as integers (a `numeric` that is whole,
/// as `sum()` gives, too), other numbers as reals, booleans as 0 / 1, bytea as a blob.
enum PGValue {
    static func value(_ text: String?, typeOID: UInt32) -> SQLValue {
        guard let text else { return .null }
        switch typeOID {
        case 20, 21, 23, 26:   // int8, int2, int4, oid
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 1700:             // numeric
            if !text.contains("."), !text.contains("e"), let value = Int64(text) { return .integer(value) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 700, 701:         // float4, float8
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 16:               // bool
            return .integer(text == "t" ? 1 : 0)
        case 17:               // bytea, hex output: \x0a1b…
            return .blob(hexBytes(text.dropFirst(2)))
        default:
            return .text(text)
        }
    }

    /// A parameter's text for PostgreSQL (nil for NULL).
    static func parameter(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .text(let text): return text
        case .blob(let bytes): return "\\x" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}
