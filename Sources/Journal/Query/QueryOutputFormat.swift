/// How `dmajournal query` prints a result (`--format table|csv|json`).
package enum QueryOutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns under a header and a rule; NULL shows as `NULL`.
    case table
    /// RFC 4180: a header row, fields quoted when they hold a comma, quote or newline;
    /// NULL is an empty field.
    case csv
    /// An array of objects, one per row, keys in column order; integers stay numbers.
    case json
}
