/// CSV lines as the sqlite3 shell's `-csv` mode writes them (RFC 4180 quoting, `\n` line
/// ends): shared by `dmajournal query --format csv` and the streaming CSV export.
package enum CSVText {
    /// The column names as one line, ending in a newline.
    package static func header(_ columns: [String]) -> String {
        columns.map(field).joined(separator: ",") + "\n"
    }

    /// One row, ending in a newline. NULL is written as nothing, an empty text as `""`.
    package static func row(_ values: [SQLValue]) -> String {
        values.map { $0.plainText.map(field) ?? "" }.joined(separator: ",") + "\n"
    }

    /// A field is quoted when it is empty (so it differs from NULL, which is written as
    /// nothing) or holds a byte the shell's `needCsvQuote` table marks: control
    /// characters, space, `"`, `'`, `,`, DEL and every non-ASCII byte.
    package static func field(_ text: String) -> String {
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
