/// The tokens of one part of a line (the op before `=>`, or the claims after it) and the
/// place just past them, where a missing token is reported.
struct TokenRun: Hashable {
    let tokens: [Token]
    let end: Token
}

/// Walks a `TokenRun` front to back; past the last token it keeps returning `end`.
struct TokenCursor {
    private let run: TokenRun
    private var index = 0

    init(_ run: TokenRun) { self.run = run }

    var isAtEnd: Bool { index == run.tokens.count }

    /// The next token without consuming it; nil at the end.
    var peek: Token? { isAtEnd ? nil : run.tokens[index] }

    /// Consumes the next token; `end` when there is none.
    mutating func next() -> Token {
        guard let token = peek else { return run.end }
        index += 1
        return token
    }
}
