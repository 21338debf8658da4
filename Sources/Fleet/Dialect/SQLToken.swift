/// One lexical token of an SQL text, with its exact spelling: joining the tokens of a
/// text gives the text back, comments and whitespace included.
public struct SQLToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case word            // keyword or unquoted identifier
        case quotedName      // "identifier" (or `identifier`, [identifier] in SQLite)
        case string          // 'text'
        case number          // 12, 1.5, 0xffff
        case parameter       // :name, @name, $name, $1, ?
        case symbol          // ( ) , ; . and operators, e.g. <= || ::
        case space           // whitespace and comments
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// A word that matches `keyword`, whatever its case.
    public func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.caseInsensitiveCompare(keyword) == .orderedSame
    }

    /// The identifier a word or quoted name stands for (quotes removed, `""` undoubled).
    public var identifier: String? {
        switch kind {
        case .word: return text
        case .quotedName:
            guard text.count >= 2 else { return nil }
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        default: return nil
        }
    }

    public var isSignificant: Bool { kind != .space }
}

extension String {
    /// Case-insensitive ASCII comparison without Foundation.
    func caseInsensitiveCompare(_ other: String) -> ComparisonOrder {
        lowercased() == other.lowercased() ? .orderedSame : .orderedDifferent
    }

    enum ComparisonOrder { case orderedSame, orderedDifferent }
}
