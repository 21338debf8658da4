/// Writes a query's rows as they come, in one of the `QueryOutputFormat`s, handing text to
/// `write` a row at a time: the first row is out as soon as SQLite has it and memory does
/// not grow with the result. `QueryResult.formatted(as:)` goes through the same code, so
/// a streamed answer and a collected one are the same bytes.
///
///     let writer = QueryRowWriter(columns: cursor.columns, format: .csv) { output.write($0) }
///     while try cursor.next() { writer.add(cursor.values) }
///     writer.finish()
///
/// The table format needs column widths before its first line. It holds back up to
/// `lookAhead` rows (1,000 by default: a few milliseconds of a plain scan) and sizes the
/// columns to them, as the sqlite3 shell's column modes size theirs to what they have
/// seen; a later cell that is wider is printed whole, pushing the rest of its line right.
/// A result of up to `lookAhead` rows is therefore aligned exactly.
package final class QueryRowWriter {
    package static let defaultLookAhead = 1000

    private let columns: [String]
    private let format: QueryOutputFormat
    private let write: (String) -> Void
    private let lookAhead: Int
    private var heldRows: [[String]] = []
    private var widths: [Int]?
    private var rowCount = 0

    package init(columns: [String], format: QueryOutputFormat, lookAhead: Int = QueryRowWriter.defaultLookAhead,
                write: @escaping (String) -> Void) {
        self.columns = columns
        self.format = format
        self.write = write
        self.lookAhead = max(lookAhead, 1)
        if format == .csv { write(CSVText.header(columns)) }
    }

    /// Rows handed to `add` so far.
    package var rowsWritten: Int { rowCount }

    /// Whether any row has been handed to `write` (the table holds its first rows back).
    package var hasWrittenRows: Bool { rowCount > 0 && (format != .table || widths != nil) }

    /// One row, its values in column order.
    package func add(_ values: [SQLValue]) {
        defer { rowCount += 1 }
        switch format {
        case .csv:
            write(CSVText.row(values))
        case .json:
            write((rowCount == 0 ? "[\n  " : ",\n  ") + JSONRow.object(columns: columns, values: values))
        case .table:
            let cells = zip(columns, values).map { column, value in
                VisibleText.oneLine(AddressColumns.displayText(value, column: column) ?? "NULL")
            }
            if let widths {
                write(TableText.line(cells, widths) + "\n")
            } else {
                heldRows.append(cells)
                if heldRows.count >= lookAhead { releaseHeldRows() }
            }
        }
    }

    /// Ends the output: the table's held rows, JSON's closing bracket.
    package func finish() {
        switch format {
        case .csv: break
        case .json: write(rowCount == 0 ? "[]\n" : "\n]\n")
        case .table: if widths == nil { releaseHeldRows() }
        }
    }

    private func releaseHeldRows() {
        var widths = columns.map(\.count)
        for row in heldRows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        self.widths = widths
        var text = TableText.line(columns, widths) + "\n"
        text += TableText.line(widths.map { String(repeating: "-", count: $0) }, widths) + "\n"
        for row in heldRows { text += TableText.line(row, widths) + "\n" }
        heldRows = []
        write(text)
    }
}
