/// What a query returned: column names and rows of typed values.
public struct QueryResult: Sendable, Hashable {
    /// The column names, in order.
    public var columns: [String]
    /// Every row, each value in column order.
    public var rows: [[SQLValue]]

    /// A result of `columns` and `rows`.
    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The result as text in `format`, ending with a newline.
    package func formatted(as format: QueryOutputFormat) -> String {
        text(as: format)
    }
}
