/// The columns whose integers are addresses, digests, hashes or seeds: unsigned 64-bit
/// values stored in SQLite's signed INTEGER by bit pattern (schema/013-query-types.sql).
/// SQL sees the integer (so `WHERE iova > 0xffff0000` compares numbers); the table format
/// shows it in hex for people, and JSON writes it unsigned.
///
/// Matched by column name, as the views and tables spell them; a column renamed with
/// `AS` in one's own SQL is matched by its new name.
package enum AddressColumns {
    /// Shown as `0x…` with no padding.
    static let addresses: Set<String> = [
        "iova", "iova_end", "phys", "phys_end", "address", "out_address", "fault_address", "range_iova",
        "target", "base", "seed",
    ]
    /// Shown as 16 hex digits: XXH3/XXH64 values, whose leading zeros are part of the value.
    static let digests: Set<String> = ["digest", "hash", "hash_a", "hash_b"]

    package static func contains(_ column: String) -> Bool {
        addresses.contains(column) || digests.contains(column)
    }

    /// `value` of `column` as the table format prints it: hex for an integer in an
    /// address column, otherwise the plain text (NULL is nil).
    static func displayText(_ value: SQLValue, column: String) -> String? {
        guard case .integer(let integer) = value else { return value.plainText }
        let bits = UInt64(bitPattern: integer)
        if addresses.contains(column) { return "0x" + String(bits, radix: 16) }
        if digests.contains(column) {
            let hex = String(bits, radix: 16)
            return "0x" + String(repeating: "0", count: 16 - hex.count) + hex
        }
        return String(integer)
    }
}
