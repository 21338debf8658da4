/// One result row as a JSON object, keys in column order (hand-written so the order holds
/// and no Foundation is needed).
///
/// Numbers stay exact for `jq` and JavaScript, which read every JSON number as an IEEE
/// double: an integer a double holds exactly (|n| ≤ 2^53) is a number; a larger one is a
/// string of its decimal digits, as the protobuf JSON mapping writes 64-bit integers. In
/// an address, digest or hash column (`AddressColumns`) the value is the unsigned 64-bit
/// one, so 0xffffffffffff0000 is "18446744073709486080", never a negative number.
enum JSONRow {
    static let exactLimit: Int64 = 1 << 53

    static func object(columns: [String], values: [SQLValue]) -> String {
        "{" + zip(columns, values).map { column, value in
            JSONString.literal(column) + ": " + jsonValue(value, column: column)
        }.joined(separator: ", ") + "}"
    }

    static func jsonValue(_ value: SQLValue, column: String) -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer):
            if AddressColumns.contains(column) {
                let unsigned = UInt64(bitPattern: integer)
                return unsigned <= UInt64(exactLimit) ? String(unsigned) : "\"\(unsigned)\""
            }
            return (-exactLimit...exactLimit).contains(integer) ? String(integer) : "\"\(integer)\""
        case .real(let real): return real.isFinite ? String(real) : "null"
        case .text, .blob: return JSONString.literal(value.plainText ?? "")
        }
    }
}
