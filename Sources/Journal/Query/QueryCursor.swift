/// The rows of one read-only query, one at a time: what `QueryRunner.run` collects into a
/// `QueryResult`, for callers that cannot hold every row (an export of a 10M-op journal).
///
///     let cursor = try runner.cursor("SELECT seq, kind FROM op_log ORDER BY seq")
///     while try cursor.next() { use(cursor.integer(at: 0), cursor.text(at: 1)) }
///
/// Columns are 0-based. The accessors read the row the last `next()` stood on.
public final class QueryCursor {
    /// The result's column names, in order.
    public let columns: [String]
    private let statement: Statement
    private let path: String
    private let watchdog: QueryWatchdog

    init(_ statement: Statement, path: String, watchdog: QueryWatchdog) {
        self.statement = statement
        self.path = path
        self.watchdog = watchdog
        columns = (0..<statement.columnCount).map(statement.columnName(at:))
    }

    /// Moves to the next row: false once there are no more. Throws
    /// `JournalError.queryStopped` once the watchdog stops the query (inside SQLite's
    /// step or between rows).
    public func next() throws(JournalError) -> Bool {
        if watchdog.shouldStop() { throw .queryStopped(path: path, reason: watchdog.stopReason ?? .interrupted) }
        do throws(JournalError) {
            return try statement.step()
        } catch {
            if let reason = watchdog.stopReason { throw .queryStopped(path: path, reason: reason) }
            throw error
        }
    }

    /// The integer in `column`; nil for NULL. Unsigned values read back by bit pattern
    /// through `unsigned(at:)`.
    public func integer(at column: Int) -> Int64? { statement.int64(at: Int32(column)) }

    /// An address, length or digest column: the stored bit pattern as `UInt64`.
    public func unsigned(at column: Int) -> UInt64? { statement.uint64(at: Int32(column)) }

    /// A text column (nil for NULL; other types as SQLite converts them).
    public func text(at column: Int) -> String? { statement.text(at: Int32(column)) }

    /// A column as the typed value SQLite holds.
    public func value(at column: Int) -> SQLValue { statement.value(at: Int32(column)) }

    /// Every column of the current row.
    public var values: [SQLValue] { (0..<columns.count).map(value(at:)) }
}
