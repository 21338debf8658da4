import Journal

/// A query's rows as an HTML table: column names as the header, NULL as an empty cell,
/// numbers right-aligned, and a note when only the first rows are shown.
enum HTMLTable {
    static func markup(_ table: ReportQueries.LimitedTable) -> String {
        guard table.totalRows > 0 else { return "<p class=\"none\">none</p>\n" }
        var html = "<div class=\"scroll\"><table>\n<thead><tr>" + table.columns.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.map(cell).joined() + "</tr>\n"
        }
        html += "</tbody>\n</table></div>\n"
        if table.totalRows > table.rows.count {
            html += "<p class=\"note\">first \(table.rows.count) of \(table.totalRows) rows; the rest with <code>dmajournal query</code></p>\n"
        }
        return html
    }

    private static func cell(_ value: SQLValue) -> String {
        switch value {
        case .null: return "<td></td>"
        case .integer(let number): return "<td class=\"n\">\(number)</td>"
        case .real(let number): return "<td class=\"n\">\(number)</td>"
        case .text(let text): return "<td>\(HTMLText.escape(text))</td>"
        case .blob(let bytes): return "<td>\(bytes.count) bytes</td>"
        }
    }
}
