/// A run of non-blank characters on one line, with the column it starts at, so that any
/// complaint about it can point there.
struct Token: Hashable {
    let text: String
    /// 1-based column of the first character.
    let column: Int
    /// Stands for the place just past the last token, where something was still due.
    let isEndOfLine: Bool

    init(_ text: String, column: Int) {
        self.text = text; self.column = column; self.isEndOfLine = false
    }

    private init(endOfLineAt column: Int) {
        self.text = ""; self.column = column; self.isEndOfLine = true
    }

    static func endOfLine(at column: Int) -> Token { Token(endOfLineAt: column) }

    /// How messages show the token: quoted text, or the words "end of line".
    var quoted: String { isEndOfLine ? "end of line" : "'\(text)'" }

    /// The column just past the token's last character.
    var endColumn: Int { column + text.count }

    /// `key=value` split at the first `=`, each part keeping its own column.
    var keyValue: (key: Token, value: Token)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        return (Token(key, column: column), Token(value, column: column + key.count + 1))
    }

    /// The part after the first `count` characters, at its own column.
    func dropping(_ count: Int) -> Token {
        Token(String(text.dropFirst(count)), column: column + count)
    }

    /// The pieces between `separator`s, each at its own column; empty pieces are kept so
    /// that `a,,b` can be reported where the gap is.
    func pieces(separatedBy separator: Character) -> [Token] {
        var pieces: [Token] = []
        var start = column
        for piece in text.split(separator: separator, omittingEmptySubsequences: false) {
            pieces.append(Token(String(piece), column: start))
            start += piece.count + 1
        }
        return pieces
    }
}
