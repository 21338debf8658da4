/// `--format table`: each column as wide as its widest cell, two spaces between columns,
/// trailing spaces trimmed so the output pastes cleanly into documents. Newlines, tabs and
/// other control characters inside a cell are shown as escapes (`VisibleText`), so every
/// row stays one line.
extension QueryResult {
    func tableText() -> String {
        let cells = rows.map { $0.map { VisibleText.oneLine($0.plainText ?? "NULL") } }
        var widths = columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var lines = [line(columns, widths), line(widths.map { String(repeating: "-", count: $0) }, widths)]
        lines += cells.map { line($0, widths) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(_ cells: [String], _ widths: [Int]) -> String {
        let padded = zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
        var text = padded.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}
