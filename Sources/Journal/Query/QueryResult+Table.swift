/// `--format table`: each column as wide as its widest cell, two spaces between columns,
/// trailing spaces trimmed so the output pastes cleanly into documents. Newlines and tabs
/// inside a cell are shown as `\n` and `\t`, so every row stays one line.
extension QueryResult {
    func tableText() -> String {
        let cells = rows.map { $0.map { Self.oneLineCell($0.plainText ?? "NULL") } }
        var widths = columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var lines = [line(columns, widths), line(widths.map { String(repeating: "-", count: $0) }, widths)]
        lines += cells.map { line($0, widths) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func oneLineCell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private func line(_ cells: [String], _ widths: [Int]) -> String {
        let padded = zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
        var text = padded.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}
