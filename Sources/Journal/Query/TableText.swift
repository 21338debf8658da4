/// `--format table` lines: each column as wide as its widest cell, two spaces between
/// columns, trailing spaces trimmed so the output pastes cleanly into documents. Cells are
/// `VisibleText.oneLine` (newlines, tabs and other control characters shown as escapes), so
/// every row stays one line and no cell can move the terminal's cursor.
enum TableText {
    static func line(_ cells: [String], _ widths: [Int]) -> String {
        let padded = zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: max(width - cell.count, 0)) }
        var text = padded.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}
