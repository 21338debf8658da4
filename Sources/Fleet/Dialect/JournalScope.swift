/// Makes a journal's SQL (a view's body or a named query, already in PostgreSQL's
/// dialect) answer for one journal of the store: a WITH clause in front shadows each
/// table and view the SQL names with that journal's rows only,
///
///     WITH ops AS NOT MATERIALIZED (SELECT "seq", "kind", … FROM dmajournal.ops WHERE journal_no = $1),
///          mapping_spans AS NOT MATERIALIZED (SELECT * FROM dmajournal.mapping_spans_of($1))
///     SELECT … FROM ops …                       -- the SQL itself, unchanged
///
/// so the text that runs in SQLite runs here as it is. NOT MATERIALIZED lets the planner
/// push conditions into each reference, down to the journal's partition and its indexes.
/// A name the SQL uses only as a column (`topology` in run_info) gains an unused entry,
/// which PostgreSQL ignores.
struct JournalScope {
    let schema: String
    /// Table name → its columns, in order.
    let tables: [String: [String]]
    /// Views, each answered for one journal by the function `<view>_of(journal_no)`.
    let views: Set<String>

    /// `sql` scoped to the journal bound as `$1`.
    func scoped(_ sql: String) -> String {
        let tokens = SQLTokenizer.tokens(sql)
        var named: [String] = []
        for token in tokens {
            guard let name = token.identifier, tables[name] != nil || views.contains(name), !named.contains(name) else { continue }
            named.append(name)
        }
        guard !named.isEmpty else { return sql }
        let entries = named.map { name in
            if let columns = tables[name] {
                let list = columns.map(quotedName).joined(separator: ", ")
                return "\(name) AS NOT MATERIALIZED (SELECT \(list) FROM \(schema).\(name) WHERE journal_no = $1)"
            }
            return "\(name) AS NOT MATERIALIZED (SELECT * FROM \(schema).\(name)_of($1))"
        }
        // The SQL's own WITH list goes on after ours; RECURSIVE must lead the whole list.
        let significant = tokens.indices.filter { tokens[$0].isSignificant }
        var recursive = false
        var rest = sql
        if let first = significant.first, tokens[first].isKeyword("WITH") {
            var bodyStart = first + 1
            if significant.count > 1, tokens[significant[1]].isKeyword("RECURSIVE") {
                recursive = true
                bodyStart = significant[1] + 1
            }
            rest = ",\n" + tokens[bodyStart...].map(\.text).joined()
        } else {
            rest = "\n" + sql
        }
        return "WITH " + (recursive ? "RECURSIVE " : "") + entries.joined(separator: ",\n     ") + rest
    }

    /// The views `sql` reads, for ordering their functions' creation.
    func viewsNamed(in sql: String) -> Set<String> {
        Set(SQLTokenizer.tokens(sql).compactMap(\.identifier).filter(views.contains))
    }
}

func quotedName(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
