import Journal

/// Where a many-journal query's answer goes, as it arrives: the column names once (the
/// first is `journal`), then each row; `row` returns false to stop early (`--limit`).
public struct RowHandler {
    public let columns: ([String]) -> Void
    public let row: ([SQLValue]) -> Bool

    public init(columns: @escaping ([String]) -> Void, row: @escaping ([SQLValue]) -> Bool) {
        self.columns = columns
        self.row = row
    }

    /// A handler that keeps everything, for tests and small answers.
    public static func collecting(into result: ResultCollector) -> RowHandler {
        RowHandler(columns: { result.columns = $0 }, row: { result.rows.append($0); return true })
    }
}

/// Rows kept in memory (`RowHandler.collecting`).
public final class ResultCollector {
    public var columns: [String] = []
    public var rows: [[SQLValue]] = []
    public init() {}
    public var result: QueryResult { QueryResult(columns: columns, rows: rows) }
}
