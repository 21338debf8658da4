/// Cuts script text into lines and tokens. One op per line; `#` starts a comment; blank
/// and comment-only lines are dropped. Tokens are separated by white space; after `=>`
/// commas separate too and are tokens of their own, so `ok,fault` reads like `ok , fault`.
enum ScriptLexer {
    /// One op line: its 1-based number, the op tokens and, after `=>`, the claim tokens.
    struct Line: Hashable {
        let number: Int
        let op: TokenRun
        let claims: TokenRun?
    }

    static func lines(of text: String) -> [Line] {
        // `\.isNewline` also takes "\r\n", which Swift holds as a single Character.
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
            .compactMap { index, line in lex(Array(line), number: index + 1) }
    }

    /// Lexes one line; nil when it holds nothing but blanks and a comment.
    static func lex(_ characters: [Character], number: Int) -> Line? {
        let content = characters.prefix { $0 != "#" }
        guard content.contains(where: { !$0.isWhitespace }) else { return nil }
        guard let arrow = arrowIndex(in: content) else {
            return Line(number: number, op: run(content, commasSplit: false), claims: nil)
        }
        var op = run(content[..<arrow], commasSplit: false)
        // With no op before it, the arrow itself is what stands where the verb was due.
        if op.tokens.isEmpty { op = TokenRun(tokens: [], end: Token("=>", column: arrow + 1)) }
        let claims = run(content[(arrow + 2)...], commasSplit: true, emptyEndColumn: arrow + 3)
        return Line(number: number, op: op, claims: claims)
    }

    /// Tokens of claims text alone (no verb), for `ScriptParser.parseClaims`.
    static func claimRun(of text: String) -> TokenRun {
        run(ArraySlice(Array(text)), commasSplit: true)
    }

    private static func arrowIndex(in content: ArraySlice<Character>) -> Int? {
        content.indices.first { $0 + 1 < content.endIndex && content[$0] == "=" && content[$0 + 1] == ">" }
    }

    /// Splits `characters` into tokens; columns are 1-based positions on the whole line.
    private static func run(
        _ characters: ArraySlice<Character>, commasSplit: Bool, emptyEndColumn: Int? = nil
    ) -> TokenRun {
        var tokens: [Token] = []
        var start: Int?
        func close(at index: Int) {
            if let first = start { tokens.append(Token(String(characters[first..<index]), column: first + 1)) }
            start = nil
        }
        for index in characters.indices {
            let character = characters[index]
            if character.isWhitespace || (commasSplit && character == ",") {
                close(at: index)
                if character == "," { tokens.append(Token(",", column: index + 1)) }
            } else if start == nil {
                start = index
            }
        }
        close(at: characters.endIndex)
        let endColumn = tokens.last?.endColumn ?? emptyEndColumn ?? characters.startIndex + 1
        return TokenRun(tokens: tokens, end: .endOfLine(at: endColumn))
    }
}
