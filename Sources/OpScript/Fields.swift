/// The `key=value` and flag tokens of one op line, checked once against the verb's
/// grammar (unknown word, wrong shape, given twice), then read by key. Every verb reads
/// its line through this one type, so every verb reports mistakes the same way.
struct Fields {
    private let verb: Token
    private var values: [String: Token] = [:]
    private var flags: [String: Token] = [:]

    init(_ tokens: [Token], verb: Token, grammar: VerbGrammar) throws(TokenError) {
        self.verb = verb
        var seen: [String: Token] = [:]
        for token in tokens {
            let split = token.keyValue
            let name = split?.key.text ?? token.text
            let value = split?.value
            try Self.check(token, named: name, hasValue: value != nil, verb: verb, grammar: grammar)
            if let first = seen[name] {
                let message = "expected each key once, found a second '\(name)' (first at column \(first.column))"
                throw TokenError(column: token.column, message: message)
            }
            seen[name] = token
            if let value { values[name] = value } else { flags[name] = token }
        }
    }

    /// Whether `key=` was given.
    func hasKey(_ key: String) -> Bool { values[key] != nil }

    /// The token of a bare flag, if it was given.
    func flag(_ name: String) -> Token? { flags[name] }

    /// The value of a key that must be given.
    func required<Value>(_ key: String, as read: (Token) throws(TokenError) -> Value) throws(TokenError) -> Value {
        guard let token = values[key] else {
            throw TokenError(column: verb.column, message: "missing required key '\(key)' for '\(verb.text)'")
        }
        return try read(token)
    }

    /// The value of a key that may be left out; nil when it was.
    func optional<Value>(_ key: String, as read: (Token) throws(TokenError) -> Value) throws(TokenError) -> Value? {
        guard let token = values[key] else { return nil }
        return try read(token)
    }

    /// A word is accepted when the grammar has it, with `=` for a key and without for a flag.
    private static func check(
        _ token: Token, named name: String, hasValue: Bool, verb: Token, grammar: VerbGrammar
    ) throws(TokenError) {
        switch (grammar.field(named: name), hasValue) {
        case (.key?, true), (.flag?, false):
            return
        case (.key?, false):
            throw .expected("a value for '\(name)' (\(name)=…)", found: token)
        case (.flag?, true):
            throw .expected("'\(name)' without a value", found: token)
        case (nil, _) where grammar.fields.isEmpty:
            throw .expected("end of line after '\(verb.text)'", found: token)
        case (nil, _):
            let spellings = grammar.fields.map(\.spelling)
            throw .expected(WordSyntax.listing(spellings, as: "a key of '\(verb.text)'"), found: token)
        }
    }
}
