/// Where SQLite and PostgreSQL part ways on truth: SQLite has no boolean type, so an
/// integer may stand where a condition is expected (`WHERE o.attrs & a.bit`,
/// `CASE WHEN t.coherent THEN`) and a comparison is an integer 0 or 1 where a value is
/// expected (`sum(k.name = 'link')`, `SELECT a = b AS same`). PostgreSQL refuses both.
///
/// This pass finds the conditions (after WHERE, ON, HAVING and a searched CASE's WHEN,
/// split at AND / OR / NOT) and the values (select-list items, the argument of sum and
/// total) and marks which need a conversion: a condition that has no comparison at its
/// top level is an integer, compared with 0 (`(o.attrs & a.bit) <> 0`); a value whose top
/// level is a comparison becomes `(…)::int`. The marks are text to put before and after
/// tokens, which `PostgresDialect` emits.
struct BooleanContexts {
    private(set) var before: [Int: String] = [:]
    private(set) var after: [Int: String] = [:]
    private let stream: TokenStream

    private static let conditionEnds: [String: Set<String>] = [
        "WHERE": ["GROUP", "ORDER", "LIMIT", "WINDOW", "HAVING", "UNION", "EXCEPT", "INTERSECT"],
        "HAVING": ["ORDER", "LIMIT", "WINDOW", "UNION", "EXCEPT", "INTERSECT"],
        "ON": ["JOIN", "LEFT", "RIGHT", "INNER", "CROSS", "FULL", "NATURAL", "WHERE", "GROUP", "ORDER", "LIMIT",
               "WINDOW", "HAVING", "UNION", "EXCEPT", "INTERSECT", ","],
        "WHEN": ["THEN"],
    ]
    private static let comparisonSymbols: Set<String> = ["=", "==", "<>", "!=", "<", ">", "<=", ">="]
    private static let comparisonWords: Set<String> = [
        "IS", "IN", "LIKE", "ILIKE", "GLOB", "BETWEEN", "EXISTS", "MATCH", "REGEXP", "ISNULL", "NOTNULL", "TRUE", "FALSE",
    ]

    init(_ stream: TokenStream) {
        self.stream = stream
        var simpleCases: Set<Int> = []   // CASE tokens followed by an operand, not WHEN
        for index in stream.significant where stream.tokens[index].isKeyword("CASE") {
            if let next = stream.next(after: index), !stream.tokens[next].isKeyword("WHEN") { simpleCases.insert(index) }
        }
        for index in stream.significant {
            let token = stream.tokens[index]
            guard token.kind == .word else { continue }
            let keyword = token.text.uppercased()
            if let ends = Self.conditionEnds[keyword] {
                if keyword == "WHEN", let caseToken = enclosingCase(of: index), simpleCases.contains(caseToken) { continue }
                markCondition(conditionRange(after: index, endingAt: ends))
            } else if keyword == "SELECT" {
                for item in selectItems(after: index) { markValue(item) }
            } else if keyword == "SUM" || keyword == "TOTAL", let open = stream.next(after: index), stream.tokens[open].text == "(" {
                for argument in stream.arguments(ofCallAt: open) { markValue(argument) }
            }
        }
    }

    // MARK: - Conditions

    private func conditionRange(after head: Int, endingAt ends: Set<String>) -> Range<Int> {
        let level = stream.depth[head]
        var end = stream.tokens.count
        for index in stream.significant where index > head {
            let token = stream.tokens[index]
            if stream.depth[index] < level || (stream.depth[index] == level && (ends.contains(token.text.uppercased()) || token.text == ";")) {
                end = index
                break
            }
        }
        return (head + 1)..<end
    }

    private mutating func markCondition(_ range: Range<Int>) {
        for operand in operands(of: range) {
            var tokens = stream.significant(in: operand)
            while let first = tokens.first, stream.tokens[first].isKeyword("NOT") { tokens.removeFirst() }
            guard let first = tokens.first, let last = tokens.last else { continue }
            if stream.tokens[first].text == "(", stream.partner[first] == last {
                let inner = stream.significant(in: (first + 1)..<last)
                if let head = inner.first, !["SELECT", "WITH", "VALUES"].contains(stream.tokens[head].text.uppercased()) {
                    markCondition((first + 1)..<last)
                    continue
                }
            }
            if !isComparison(first...last) {
                before[first, default: ""] += "("
                after[last, default: ""] = ") <> 0" + (after[last] ?? "")
            }
        }
    }

    /// The operands of the AND / OR chain in `range` (the AND of a BETWEEN excepted).
    private func operands(of range: Range<Int>) -> [Range<Int>] {
        let tokens = stream.significant(in: range)
        guard let first = tokens.first else { return [] }
        let level = stream.depth[first]
        var operands: [Range<Int>] = []
        var start = range.lowerBound
        var pendingBetween = false
        for index in tokens where stream.depth[index] == level {
            let token = stream.tokens[index]
            if token.isKeyword("BETWEEN") { pendingBetween = true }
            if token.isKeyword("AND") && pendingBetween { pendingBetween = false; continue }
            if token.isKeyword("AND") || token.isKeyword("OR") {
                operands.append(start..<index)
                start = index + 1
            }
        }
        operands.append(start..<range.upperBound)
        return operands
    }

    /// Whether the tokens have a comparison at their own level (not inside parentheses or
    /// a CASE).
    private func isComparison(_ range: ClosedRange<Int>) -> Bool {
        let level = stream.depth[range.lowerBound]
        return stream.significant(in: range.lowerBound..<(range.upperBound + 1)).contains { index in
            guard stream.depth[index] == level else { return false }
            let token = stream.tokens[index]
            return Self.comparisonSymbols.contains(token.text)
                || (token.kind == .word && Self.comparisonWords.contains(token.text.uppercased()))
        }
    }

    // MARK: - Values

    private mutating func markValue(_ range: Range<Int>) {
        var tokens = stream.significant(in: range)
        // Drop a trailing alias: `expr AS name`.
        if tokens.count >= 3, stream.tokens[tokens[tokens.count - 2]].isKeyword("AS") { tokens.removeLast(2) }
        guard let first = tokens.first, let last = tokens.last, stream.tokens[first].text != "*" else { return }
        guard isComparison(first...last) else { return }
        before[first, default: ""] += "("
        after[last, default: ""] = ")::int" + (after[last] ?? "")
    }

    /// The select-list items after a SELECT (DISTINCT / ALL skipped), up to its FROM.
    private func selectItems(after select: Int) -> [Range<Int>] {
        let level = stream.depth[select]
        var items: [Range<Int>] = []
        var start = select + 1
        if let next = stream.next(after: select), stream.tokens[next].isKeyword("DISTINCT") || stream.tokens[next].isKeyword("ALL") {
            start = next + 1
        }
        for index in stream.significant where index >= start {
            let token = stream.tokens[index]
            if stream.depth[index] < level { items.append(start..<index); return items }
            guard stream.depth[index] == level else { continue }
            if token.text == "," { items.append(start..<index); start = index + 1; continue }
            let word = token.text.uppercased()
            if token.kind == .word, ["FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW"].contains(word)
                || token.text == ";" {
                items.append(start..<index)
                return items
            }
        }
        items.append(start..<stream.tokens.count)
        return items
    }

    /// The CASE whose WHEN this is: the nearest CASE before it one level up.
    private func enclosingCase(of when: Int) -> Int? {
        let level = stream.depth[when] - 1
        for index in stream.significant.reversed() where index < when {
            if stream.depth[index] == level, stream.tokens[index].isKeyword("CASE") { return index }
            if stream.depth[index] < level { return nil }
        }
        return nil
    }
}
