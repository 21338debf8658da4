/// `--format table` lines: each column as wide as its widest cell, two spaces between
/// columns, trailing spaces trimmed so the output pastes cleanly into documents. Newlines
/// and tabs inside a cell are shown as `\n` and `\t`, so every row stays one line.
enum TableText {
    static func oneLineCell(_ text: String) -> String {
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

    static func line(_ cells: [String], _ widths: [Int]) -> String {
        let padded = zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: max(width - cell.count, 0)) }
        var text = padded.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}
