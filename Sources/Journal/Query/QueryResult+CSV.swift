/// `--format csv` (RFC 4180).
extension QueryResult {
    func csvText() -> String {
        let lines = [columns.map(Self.csvField)] + rows.map { $0.map { Self.csvField($0.plainText ?? "") } }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ text: String) -> String {
        // By scalar: "\r\n" is one Character and would slip past a Character test.
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }  // a quote is written twice
        }
        return quoted + "\""
    }
}
