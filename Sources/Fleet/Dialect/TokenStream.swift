/// Tokens with their nesting worked out once: `depth[i]` is how many parentheses and
/// CASE … END pairs enclose token `i` (an opening token and its closing partner share
/// the depth of what surrounds them), and `partner[i]` joins each `(` to its `)` and each
/// CASE to its END. Dialect rewrites walk it by significant token.
struct TokenStream {
    let tokens: [SQLToken]
    /// Indexes into `tokens` of the tokens that are not whitespace or comments.
    let significant: [Int]
    private(set) var depth: [Int]
    private(set) var partner: [Int: Int] = [:]

    init(_ tokens: [SQLToken]) {
        self.tokens = tokens
        significant = tokens.indices.filter { tokens[$0].isSignificant }
        depth = Array(repeating: 0, count: tokens.count)
        var level = 0
        var open: [Int] = []
        for index in significant {
            let token = tokens[index]
            if token.text == "(" || token.isKeyword("CASE") {
                depth[index] = level
                level += 1
                open.append(index)
            } else if token.text == ")" || token.isKeyword("END"), let opener = open.popLast() {
                level -= 1
                depth[index] = level
                partner[opener] = index
                partner[index] = opener
            } else {
                depth[index] = level
            }
        }
    }

    /// The significant token after `index` (an index into `tokens`), if any.
    func next(after index: Int) -> Int? {
        var position = index + 1
        while position < tokens.count, !tokens[position].isSignificant { position += 1 }
        return position < tokens.count ? position : nil
    }

    /// The significant token before `index`, if any.
    func previous(before index: Int) -> Int? {
        var position = index - 1
        while position >= 0, !tokens[position].isSignificant { position -= 1 }
        return position >= 0 ? position : nil
    }

    /// Significant token indexes in `range` (token indexes, half-open).
    func significant(in range: Range<Int>) -> [Int] {
        significant.filter { range.contains($0) }
    }

    /// The arguments of the call whose `(` is at `open`: token ranges split at the commas
    /// directly inside it. Empty for `()`.
    func arguments(ofCallAt open: Int) -> [Range<Int>] {
        guard let close = partner[open] else { return [] }
        let inner = depth[open] + 1
        var ranges: [Range<Int>] = []
        var start = open + 1
        for index in significant(in: (open + 1)..<close) where tokens[index].text == "," && depth[index] == inner {
            ranges.append(start..<index)
            start = index + 1
        }
        if !significant(in: start..<close).isEmpty || !ranges.isEmpty { ranges.append(start..<close) }
        return ranges
    }
}
