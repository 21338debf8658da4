/// A collected result as text: the same bytes `QueryRowWriter` streams.
extension QueryResult {
    func text(as format: QueryOutputFormat) -> String {
        var text = ""
        let writer = QueryRowWriter(columns: columns, format: format, lookAhead: Int.max) { text += $0 }
        for row in rows { writer.add(row) }
        writer.finish()
        return text
    }
}
