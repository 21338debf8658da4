/// SQLite's `printf(FORMAT, …)` as a PostgreSQL `concat(…)` of literal pieces and
/// converted arguments. SQLite prints a NULL argument as '' for %s and 0 for %d / %x;
/// `concat` skips NULLs, and the numeric conversions coalesce to 0, so both agree.
/// Conversions: %s, %d / %i, %x / %X, with a width and the `0` and `-` flags; `%%`.
enum PrintfTranslation {
    static func concat(format: String, arguments: [String]) throws(FleetError) -> String {
        var pieces: [String] = []
        var literal = ""
        var argumentIndex = 0
        var characters = Substring(format)
        while let character = characters.popFirst() {
            guard character == "%" else { literal.append(character); continue }
            if characters.first == "%" { characters.removeFirst(); literal.append("%"); continue }
            var flags = ""
            while let flag = characters.first, "0-".contains(flag) { flags.append(flag); characters.removeFirst() }
            var width = ""
            while let digit = characters.first, digit.isNumber { width.append(digit); characters.removeFirst() }
            guard let conversion = characters.popFirst() else {
                throw .untranslatable(what: "printf('\(format)')", reason: "the format ends inside a conversion")
            }
            guard argumentIndex < arguments.count else {
                throw .untranslatable(what: "printf('\(format)')", reason: "more conversions than arguments")
            }
            let argument = arguments[argumentIndex].trimmingSpaces
            argumentIndex += 1
            if !literal.isEmpty { pieces.append(quoted(literal)); literal = "" }
            let value: String
            switch conversion {
            case "s": value = "coalesce((\(argument))::text, '')"
            case "d", "i": value = "coalesce((\(argument))::bigint, 0)::text"
            case "x": value = "to_hex(coalesce((\(argument))::bigint, 0))"
            case "X": value = "upper(to_hex(coalesce((\(argument))::bigint, 0)))"
            default:
                throw .untranslatable(what: "printf('\(format)')", reason: "the conversion %\(conversion)")
            }
            pieces.append(padded(value, width: Int(width), flags: flags))
        }
        if !literal.isEmpty { pieces.append(quoted(literal)) }
        return "concat(" + (pieces.isEmpty ? "''" : pieces.joined(separator: ", ")) + ")"
    }

    private static func padded(_ value: String, width: Int?, flags: String) -> String {
        guard let width, width > 0 else { return value }
        if flags.contains("-") { return "rpad(\(value), \(width), ' ')" }
        // lpad cuts a longer value to the width; printf never does.
        let fill = flags.contains("0") ? "'0'" : "' '"
        return "(CASE WHEN length(\(value)) >= \(width) THEN \(value) ELSE lpad(\(value), \(width), \(fill)) END)"
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
