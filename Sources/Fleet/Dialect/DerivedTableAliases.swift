/// SQLite lets a subquery in FROM go without a name (`FROM (SELECT line FROM t ORDER BY
/// seq)`); PostgreSQL before 16 refuses it ("subquery in FROM must have an alias"). This
/// pass finds each such subquery — a `(` right after FROM or JOIN whose first word is
/// SELECT, WITH or VALUES — that no alias follows, and names it `derived_N`, which the
/// emitter writes after its `)`.
struct DerivedTableAliases {
    /// Closing `)` token index → the text to write after it.
    private(set) var after: [Int: String] = [:]

    /// Words that may follow a derived table and are not its alias.
    private static let clauseWords: Set<String> = [
        "WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT",
        "JOIN", "LEFT", "RIGHT", "INNER", "CROSS", "FULL", "NATURAL", "ON", "USING", "OFFSET",
    ]

    init(_ stream: TokenStream) {
        var count = 0
        for index in stream.significant where stream.tokens[index].text == "(" {
            guard let previous = stream.previous(before: index),
                  stream.tokens[previous].isKeyword("FROM") || stream.tokens[previous].isKeyword("JOIN"),
                  let first = stream.next(after: index),
                  ["SELECT", "WITH", "VALUES"].contains(where: { stream.tokens[first].isKeyword($0) }),
                  let close = stream.partner[index] else { continue }
            if let next = stream.next(after: close) {
                let token = stream.tokens[next]
                if token.kind == .quotedName { continue }
                if token.kind == .word, token.isKeyword("AS") || !Self.clauseWords.contains(token.text.uppercased()) { continue }
            }
            count += 1
            after[close] = " AS derived_\(count)"
        }
    }
}
