/// `--format csv` (RFC 4180), quoting exactly as the sqlite3 shell's `-csv` mode does, so
/// the tool's output and the shell's compare byte for byte.
extension QueryResult {
    func csvText() -> String {
        let header = columns.map { Self.csvField($0) }
        let lines = [header] + rows.map { $0.map { $0.plainText.map(Self.csvField) ?? "" } }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A field is quoted when it is empty (so it differs from NULL, which is written as
    /// nothing) or holds a byte the shell's `needCsvQuote` table marks: control
    /// characters, space, `"`, `'`, `,`, DEL and every non-ASCII byte.
    private static func csvField(_ text: String) -> String {
        guard text.isEmpty || text.utf8.contains(where: needsQuote) else { return text }
        var quoted = "\""
        for character in text.unicodeScalars {
            quoted.unicodeScalars.append(character)
            if character == "\"" { quoted += "\"" }  // a quote is written twice
        }
        return quoted + "\""
    }

    private static func needsQuote(_ byte: UInt8) -> Bool {
        byte < 0x21 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ",") || byte >= 0x7F
    }
}
