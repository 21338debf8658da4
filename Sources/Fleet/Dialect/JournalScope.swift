/// Makes a journal's SQL (a view's body or a named query, already in PostgreSQL's
/// dialect) answer for one journal of the store: a WITH clause in front shadows each
/// table and view the SQL names with that journal's rows only,
///
///     WITH ops AS NOT MATERIALIZED (SELECT "seq", "kind", … FROM dmajournal.ops WHERE journal_no = $1),
///          mapping_spans AS NOT MATERIALIZED (WITH ops AS … SELECT … FROM ops …)   -- the view's own body, scoped
///     SELECT … FROM ops …                       -- the SQL itself, unchanged
///
/// so the text that runs in SQLite runs here as it is. NOT MATERIALIZED lets the planner
/// push conditions into each reference, down to the journal's partition and its indexes.
/// A view is written out in full (scoped in turn), as SQLite flattens a view into the
/// query that reads it: a call to a function of the store here would hide it from the
/// planner, which then runs it again for each row of a correlated subquery.
/// A name the SQL uses only as a column (`topology` in run_info) gains an unused entry,
/// which PostgreSQL ignores.
struct JournalScope {
    let schema: String
    /// Table name → its columns, in order.
    let tables: [String: [String]]
    /// View name → its body, in PostgreSQL's dialect (not scoped).
    let views: [String: String]

    /// `sql` scoped to the journal bound as `$1`.
    func scoped(_ sql: String) -> String {
        let tokens = SQLTokenizer.tokens(sql)
        var named: [String] = []
        for token in tokens {
            guard let name = token.identifier, tables[name] != nil || views[name] != nil, !named.contains(name) else { continue }
            named.append(name)
        }
        guard !named.isEmpty else { return sql }
        let entries = named.map { name in
            if let columns = tables[name] {
                let list = columns.map(quotedName).joined(separator: ", ")
                return "\(name) AS NOT MATERIALIZED (SELECT \(list) FROM \(schema).\(name) WHERE journal_no = $1)"
            }
            return "\(name) AS NOT MATERIALIZED (\(scoped(views[name] ?? "")))"
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
        Set(SQLTokenizer.tokens(sql).compactMap(\.identifier).filter { views[$0] != nil })
    }
}

func quotedName(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
