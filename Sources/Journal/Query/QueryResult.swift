/// What a query returned: column names and rows of typed values.
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[SQLValue]]

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The result as text in `format`, ending with a newline.
    public func formatted(as format: QueryOutputFormat) -> String {
        text(as: format)
    }
}
