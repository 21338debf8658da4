/// `--format json`: `[{"column": value, ...}, ...]`, one row per line, keys in column
/// order (hand-written so the order holds and no Foundation is needed).
extension QueryResult {
    func jsonText() -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let keys = columns.map(Self.jsonString)
        let objects = rows.map { row in
            "  {" + zip(keys, row).map { key, value in key + ": " + Self.jsonValue(value) }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    private static func jsonValue(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer): return String(integer)
        case .real(let real): return real.isFinite ? String(real) : "null"
        case .text, .blob: return jsonString(value.plainText ?? "")
        }
    }

    static func jsonString(_ text: String) -> String { JSONString.literal(text) }
}
