import Journal

/// A query's rows as an HTML table: column names as the header, NULL as an empty cell,
/// numbers right-aligned, and a note when only the first rows are shown.
enum HTMLTable {
    /// `rowAnchorPrefix`: the first row of each seq (the first column) gets the id
    /// `PREFIX-SEQ`; the ids given go into `anchors`.
    static func markup(_ table: ReportQueries.LimitedTable, rowAnchorPrefix: String? = nil, anchors: inout Set<String>) -> String {
        guard table.totalRows > 0 else { return "<p class=\"none\">none</p>\n" }
        var html = "<div class=\"scroll\"><table>\n<thead><tr>" + table.columns.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            var id = ""
            if let prefix = rowAnchorPrefix, case .integer(let seq) = row.first, anchors.insert("\(prefix)-\(seq)").inserted {
                id = " id=\"\(prefix)-\(seq)\""
            }
            html += "<tr\(id)>" + row.map(cell).joined() + "</tr>\n"
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
        // Long text (a message, an op line) wraps; names, addresses and numbers stay whole.
        case .text(let text): return text.count > 32 ? "<td class=\"long\">\(HTMLText.escape(text))</td>" : "<td>\(HTMLText.escape(text))</td>"
        case .blob(let bytes): return "<td>\(bytes.count) bytes</td>"
        }
    }
}
