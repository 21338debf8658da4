/// Points SQL at one attached database: each table or view name it reads (after FROM or
/// JOIN, or after a comma in a FROM list) that the database has, and that the SQL does
/// not define itself in a WITH clause, gains the schema: `FROM ops o` → `FROM j3.ops o`.
struct SchemaQualifier {
    let relations: Set<String>

    func qualify(_ sql: String, schema: String) -> String {
        var tokens = SQLTokenizer.tokens(sql)
        let stream = TokenStream(tokens)
        let defined = commonTableNames(stream)
        var inFromList: [Int: Bool] = [:]   // depth → the clause at that depth is a FROM list
        for index in stream.significant {
            let token = stream.tokens[index]
            let level = stream.depth[index]
            if token.kind == .word {
                switch token.text.uppercased() {
                case "FROM": inFromList[level] = true
                case "WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "SELECT":
                    inFromList[level] = false
                default: break
                }
            }
            guard let name = token.identifier, relations.contains(name), !defined.contains(name),
                  let previous = stream.previous(before: index) else { continue }
            let before = stream.tokens[previous]
            let inRelationPosition = before.isKeyword("FROM") || before.isKeyword("JOIN")
                || (before.text == "," && inFromList[level] == true)
            if let next = stream.next(after: index), stream.tokens[next].text == "." || stream.tokens[next].text == "(" { continue }
            if inRelationPosition { tokens[index].text = schema + "." + token.text }
        }
        return tokens.map(\.text).joined()
    }

    /// Names the SQL defines with `name [(columns)] AS [NOT] [MATERIALIZED] (`.
    private func commonTableNames(_ stream: TokenStream) -> Set<String> {
        var names: Set<String> = []
        for index in stream.significant where stream.tokens[index].isKeyword("AS") {
            var next = stream.next(after: index)
            while let word = next, stream.tokens[word].isKeyword("NOT") || stream.tokens[word].isKeyword("MATERIALIZED") {
                next = stream.next(after: word)
            }
            guard let open = next, stream.tokens[open].text == "(", var previous = stream.previous(before: index) else { continue }
            if stream.tokens[previous].text == ")", let opener = stream.partner[previous], let before = stream.previous(before: opener) {
                previous = before
            }
            if let name = stream.tokens[previous].identifier { names.insert(name) }
        }
        return names
    }
}
