/// Splits SQL text into `SQLToken`s, for SQLite's and PostgreSQL's common lexical rules:
/// `--` and `/* */` comments, '…' strings with '' inside, "…" names, :name / @name / $n /
/// ? parameters, and the multi-character operators both dialects have. PostgreSQL's `::`
/// cast is one symbol, so it is never read as a parameter.
public enum SQLTokenizer {
    private static let twoCharacterSymbols: Set<String> = ["||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "::", "->"]

    public static func tokens(_ sql: String) -> [SQLToken] {
        let characters = Array(sql.unicodeScalars)
        var tokens: [SQLToken] = []
        var index = 0
        func text(_ range: Range<Int>) -> String {
            var result = String.UnicodeScalarView()
            result.append(contentsOf: characters[range])
            return String(result)
        }
        while index < characters.count {
            let start = index
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let kind: SQLToken.Kind
            if character.properties.isWhitespace {
                while index < characters.count, characters[index].properties.isWhitespace { index += 1 }
                kind = .space
            } else if character == "-", next == "-" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                kind = .space
            } else if character == "/", next == "*" {
                index += 2
                while index < characters.count, !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") { index += 1 }
                index = min(index + 2, characters.count)
                kind = .space
            } else if character == "'" || character == "\"" || character == "`" {
                index = endOfQuoted(characters, from: index, quote: character)
                kind = character == "'" ? .string : .quotedName
            } else if character == "[" {
                while index < characters.count, characters[index] != "]" { index += 1 }
                index = min(index + 1, characters.count)
                kind = .quotedName
            } else if isWordStart(character) {
                while index < characters.count, isWordPart(characters[index]) { index += 1 }
                kind = .word
            } else if isDigit(character) || (character == "." && next.map(isDigit) == true) {
                index = endOfNumber(characters, from: index)
                kind = .number
            } else if (character == ":" || character == "@" || character == "$"), let next, isWordPart(next), next != "$" {
                index += 1
                while index < characters.count, isWordPart(characters[index]) { index += 1 }
                kind = .parameter
            } else if character == "?" {
                index += 1
                while index < characters.count, isDigit(characters[index]) { index += 1 }
                kind = .parameter
            } else {
                let pair = next.map { String(character) + String($0) }
                index += pair.map(twoCharacterSymbols.contains) == true ? 2 : 1
                kind = .symbol
            }
            tokens.append(SQLToken(kind, text(start..<index)))
        }
        return tokens
    }

    private static func endOfQuoted(_ characters: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar) -> Int {
        var index = start + 1
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count, characters[index + 1] == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    private static func endOfNumber(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        if characters[index] == "0", index + 1 < characters.count, characters[index + 1] == "x" || characters[index + 1] == "X" {
            index += 2
            while index < characters.count, characters[index].properties.isASCIIHexDigit { index += 1 }
            return index
        }
        while index < characters.count, isDigit(characters[index]) || characters[index] == "." { index += 1 }
        if index < characters.count, characters[index] == "e" || characters[index] == "E" {
            index += 1
            if index < characters.count, characters[index] == "+" || characters[index] == "-" { index += 1 }
            while index < characters.count, isDigit(characters[index]) { index += 1 }
        }
        return index
    }

    private static func isDigit(_ character: Unicode.Scalar) -> Bool { ("0"..."9").contains(character) }
    private static func isWordStart(_ character: Unicode.Scalar) -> Bool {
        character == "_" || character.properties.isAlphabetic
    }
    private static func isWordPart(_ character: Unicode.Scalar) -> Bool {
        isWordStart(character) || isDigit(character)
    }
}
