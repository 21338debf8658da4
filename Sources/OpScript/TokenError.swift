/// A complaint about one token of a line, raised before the line's place in the file is
/// known. The readers of values, ops and claims throw it; `ScriptParser` adds the file
/// name and line number and rethrows it as a `ScriptError`.
struct TokenError: Error, Hashable {
    /// 1-based column of the offending token.
    let column: Int
    let message: String

    /// The house style of every message: what the reader wanted, then what it got.
    static func expected(_ wanted: String, found token: Token) -> TokenError {
        TokenError(column: token.column, message: "expected \(wanted), found \(token.quoted)")
    }
}
