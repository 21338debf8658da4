import Journal

/// Rows from SQLite and from PostgreSQL made comparable: every number as a Double (a
/// PostgreSQL numeric and an SQLite integer or real with the same value are the same
/// answer), text as text.
enum RowComparison {
    enum Cell: Hashable, Comparable, CustomStringConvertible {
        case null
        case number(Double)
        case text(String)
        case blob([UInt8])

        static func < (lhs: Cell, rhs: Cell) -> Bool { lhs.description < rhs.description }

        var description: String {
            switch self {
            case .null: return "NULL"
            case .number(let value): return String(value)
            case .text(let text): return "'\(text)'"
            case .blob(let bytes): return "blob(\(bytes.count))"
            }
        }
    }

    static func cells(_ row: [SQLValue]) -> [Cell] {
        row.map { value in
            switch value {
            case .null: return .null
            case .integer(let number): return .number(Double(number))
            case .real(let number): return .number(number)
            case .text(let text): return .text(text)
            case .blob(let bytes): return .blob(bytes)
            }
        }
    }

    /// Rows as a sorted list, for views (which promise no order).
    static func sorted(_ rows: [[SQLValue]]) -> [[Cell]] {
        rows.map(cells).sorted { $0.lexicographicallyPrecedes($1) }
    }
}
