/// Text that must stay on one line and show what it holds: an error message quoting a
/// damaged schema, a table cell with a newline. Newline, carriage return and tab become
/// `\n`, `\r`, `\t`; every other control character (ESC, NUL, DEL, C1) becomes `\xHH`.
enum VisibleText {
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
