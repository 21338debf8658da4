/// One value of a query result, as SQLite typed it.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// An INTEGER: SQLite's 64-bit signed integer.
    case integer(Int64)
    /// A REAL: a double.
    case real(Double)
    /// TEXT, as UTF-8.
    case text(String)
    /// A BLOB's bytes.
    case blob([UInt8])

    /// Reads a parameter the way a command line gives it: an integer in decimal or `0x`
    /// hex (hex up to 64 bits, stored by bit pattern like every address in a journal),
    /// otherwise text.
    public init(parsing argument: String) {
        if let value = Int64(argument) {
            self = .integer(value)
        } else if argument.hasPrefix("0x") || argument.hasPrefix("0X"), let value = UInt64(argument.dropFirst(2), radix: 16) {
            self = .integer(Int64(bitPattern: value))
        } else {
            self = .text(argument)
        }
    }
}
