/// Rewrites SQLite SQL (the journal's views and named queries, as `schema/` defines them)
/// into PostgreSQL SQL with the same meaning, so both dialects come from one text:
///
/// | SQLite                          | PostgreSQL                                     |
/// |---------------------------------|------------------------------------------------|
/// | `printf('0x%x', a)`, `format`   | `concat('0x', to_hex(coalesce((a)::bigint, 0)))` |
/// | `group_concat(x, sep)`          | `string_agg((x)::text, sep)`                   |
/// | `char(10)`, `ifnull`, `instr`   | `chr(10)`, `coalesce`, `strpos`                |
/// | `max(a, b)`, `min(a, b)`        | `greatest(a, b)`, `least(a, b)`                |
/// | `a IS b`, `a IS NOT b`          | `IS NOT DISTINCT FROM`, `IS DISTINCT FROM`     |
/// | `CROSS JOIN t ON …` (a hint)    | `JOIN t ON …`                                  |
/// | `LIKE` (ASCII case-insensitive) | `ILIKE`                                        |
/// | `0xffff` literals               | decimal, by 64-bit pattern                     |
/// | `FROM (SELECT …)` without a name | `FROM (SELECT …) AS derived_1`                |
/// | integers as conditions, comparisons as integers | see `BooleanContexts`          |
/// | `:name` parameters              | `$n`, numbered by the caller                   |
///
/// It works on tokens, not a parse tree: what it does not know it leaves as it is, and the
/// test that runs every view and named query in both databases (`DialectParityTests`)
/// says when a new view needs a new rule.
public struct PostgresDialect {
    /// `:name` → `$n`; the caller decides the numbering.
    public var parameterNumbers: [String: Int] = [:]

    public init(parameterNumbers: [String: Int] = [:]) {
        self.parameterNumbers = parameterNumbers
    }

    /// The PostgreSQL text of `sql`.
    public func translate(_ sql: String) throws(FleetError) -> String {
        let stream = TokenStream(SQLTokenizer.tokens(sql))
        let marks = BooleanContexts(stream)
        var emitter = Emitter(stream: stream, marks: marks, aliases: DerivedTableAliases(stream), parameterNumbers: parameterNumbers)
        return try emitter.emit(0..<stream.tokens.count)
    }

    /// The `:name` parameters of `sql` in order of first appearance.
    public static func parameterNames(in sql: String) -> [String] {
        var names: [String] = []
        for token in SQLTokenizer.tokens(sql) where token.kind == .parameter && token.text.hasPrefix(":") {
            let name = String(token.text.dropFirst())
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

/// The emission pass: tokens out as text, with the rewrites applied inside out.
private struct Emitter {
    let stream: TokenStream
    let marks: BooleanContexts
    let aliases: DerivedTableAliases
    let parameterNumbers: [String: Int]

    mutating func emit(_ range: Range<Int>) throws(FleetError) -> String {
        var output = ""
        var index = range.lowerBound
        while index < range.upperBound {
            let (text, next) = try rewrite(at: index, within: range)
            output += text
            index = next
        }
        return output
    }

    /// The text for the token at `index` (or for the construct it starts), and the index
    /// after what was consumed.
    private mutating func rewrite(at index: Int, within range: Range<Int>) throws(FleetError) -> (String, Int) {
        let token = stream.tokens[index]
        let prefix = marks.before[index] ?? ""
        if token.kind == .word, let open = stream.next(after: index), open < range.upperBound,
           stream.tokens[open].text == "(", let close = stream.partner[open],
           let call = try rewriteCall(token.text.lowercased(), open: open) {
            return (prefix + call + (marks.after[close] ?? ""), close + 1)
        }
        var text = token.text
        switch token.kind {
        case .number where token.text.lowercased().hasPrefix("0x"):
            if let value = UInt64(token.text.dropFirst(2), radix: 16) { text = String(Int64(bitPattern: value)) }
        case .parameter where token.text.hasPrefix(":"):
            if let number = parameterNumbers[String(token.text.dropFirst())] { text = "$\(number)" }
        case .word:
            text = rewriteWord(token, at: index)
        default:
            break
        }
        return (prefix + text + (aliases.after[index] ?? "") + (marks.after[index] ?? ""), index + 1)
    }

    private func rewriteWord(_ token: SQLToken, at index: Int) -> String {
        switch token.text.uppercased() {
        case "CROSS":
            // SQLite's CROSS JOIN is an ordinary join the planner may not reorder; with an
            // ON clause it is PostgreSQL's plain JOIN.
            if let join = stream.next(after: index), stream.tokens[join].isKeyword("JOIN"), hasOnClause(afterJoin: join) { return "" }
        case "LIKE":
            return "ILIKE"
        case "IS":
            guard let next = stream.next(after: index) else { break }
            var operand = next
            let negated = stream.tokens[next].isKeyword("NOT")
            if negated, let after = stream.next(after: next) { operand = after }
            let word = stream.tokens[operand].text.uppercased()
            if ["NULL", "TRUE", "FALSE", "DISTINCT", "UNKNOWN"].contains(word) { break }
            // `a IS NOT b` → `a IS DISTINCT FROM b`; the NOT token is consumed below.
            return negated ? "IS" : "IS NOT DISTINCT FROM"
        case "NOT":
            if let previous = stream.previous(before: index), stream.tokens[previous].isKeyword("IS"),
               let next = stream.next(after: index),
               !["NULL", "TRUE", "FALSE", "DISTINCT", "UNKNOWN"].contains(stream.tokens[next].text.uppercased()) {
                return "DISTINCT FROM"
            }
        default:
            break
        }
        return token.text
    }

    private func hasOnClause(afterJoin join: Int) -> Bool {
        let level = stream.depth[join]
        for index in stream.significant where index > join {
            if stream.depth[index] < level { return false }
            guard stream.depth[index] == level else { continue }
            let word = stream.tokens[index].text.uppercased()
            if word == "ON" { return true }
            if ["JOIN", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", ",", ";"].contains(word) { return false }
        }
        return false
    }

    // MARK: - Function calls

    private mutating func rewriteCall(_ name: String, open: Int) throws(FleetError) -> String? {
        let ranges = stream.arguments(ofCallAt: open)
        switch name {
        case "printf", "format":
            let arguments = try ranges.map { (range: Range<Int>) throws(FleetError) -> String in try emit(range) }
            guard let format = ranges.first.flatMap(literalString) else {
                throw .untranslatable(what: "printf", reason: "its format is not a string literal")
            }
            return try PrintfTranslation.concat(format: format, arguments: Array(arguments.dropFirst()))
        case "group_concat":
            guard let value = ranges.first else { return nil }
            var first = try emit(value).trimmingSpaces
            var distinct = ""
            if first.uppercased().hasPrefix("DISTINCT ") { distinct = "DISTINCT "; first = String(first.dropFirst(9)) }
            let separator = ranges.count > 1 ? try emit(ranges[1]).trimmingSpaces : "','"
            return "string_agg(\(distinct)(\(first))::text, \(separator))"
        case "char":
            let arguments = try ranges.map { (range: Range<Int>) throws(FleetError) -> String in "chr(\(try emit(range).trimmingSpaces))" }
            return "(" + arguments.joined(separator: " || ") + ")"
        case "ifnull":
            return "coalesce(" + (try joined(ranges)) + ")"
        case "instr":
            return "strpos(" + (try joined(ranges)) + ")"
        case "max" where ranges.count > 1:
            return "greatest(" + (try joined(ranges)) + ")"
        case "min" where ranges.count > 1:
            return "least(" + (try joined(ranges)) + ")"
        case "glob", "typeof", "julianday", "strftime", "unicode", "zeroblob", "randomblob", "last_insert_rowid", "changes", "iif":
            throw .untranslatable(what: "\(name)()", reason: "PostgreSQL has no equivalent this translator knows")
        default:
            return nil
        }
    }

    private mutating func joined(_ ranges: [Range<Int>]) throws(FleetError) -> String {
        var parts: [String] = []
        for range in ranges { parts.append(try emit(range).trimmingSpaces) }
        return parts.joined(separator: ", ")
    }

    /// The text of a range that is one string literal, quotes removed.
    private func literalString(_ range: Range<Int>) -> String? {
        let tokens = stream.significant(in: range)
        guard tokens.count == 1, stream.tokens[tokens[0]].kind == .string else { return nil }
        let text = stream.tokens[tokens[0]].text
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
