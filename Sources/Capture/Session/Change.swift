/// One change `capture` made to the machine, as its record keeps it: enough to undo it
/// after the process that made it was killed.
public enum Change: Equatable, Sendable {
    /// A filesystem mounted at this path (tracefs, securityfs): undone by unmounting.
    case mounted(path: String)
    /// A tracefs instance (`instances/dmajournal`): undone by `rmdir`, which frees its
    /// buffer and drops every event setting made in it.
    case createdInstance(path: String)
    /// A dynamic event `GROUP/EVENT`: undone by `-:GROUP/EVENT` in `dynamic_events`.
    case definedProbe(group: String, event: String)
    /// A tracefs file (relative path) that held `old` before: undone by writing it back.
    case setValue(path: String, old: String)

    /// The record's line for this change.
    var line: String {
        switch self {
        case .mounted(let path): return "mounted \(Self.escape(path))"
        case .createdInstance(let path): return "instance \(Self.escape(path))"
        case .definedProbe(let group, let event): return "probe \(Self.escape(group))/\(Self.escape(event))"
        case .setValue(let path, let old): return "value \(Self.escape(path)) \(Self.escape(old))"
        }
    }

    /// Reads a record line; nil for one that is not a change.
    init?(line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        switch (words.first, words.count) {
        case ("mounted", 2): self = .mounted(path: Self.unescape(words[1]))
        case ("instance", 2): self = .createdInstance(path: Self.unescape(words[1]))
        case ("probe", 2):
            let parts = words[1].split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            self = .definedProbe(group: Self.unescape(parts[0]), event: Self.unescape(parts[1]))
        case ("value", 3): self = .setValue(path: Self.unescape(words[1]), old: Self.unescape(words[2]))
        default: return nil
        }
    }

    /// Percent-escapes what would split a record line: `%`, space, tab, newline, `/` in
    /// names is kept (paths need it).
    static func escape(_ text: String) -> String {
        if text.isEmpty { return "%" }
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            default:
                out.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String {
        if text == "%" { return "" }
        var bytes: [UInt8] = []
        var scalars = Array(text.utf8)[...]
        while let byte = scalars.first {
            scalars = scalars.dropFirst()
            if byte == UInt8(ascii: "%"), scalars.count >= 2,
               let value = UInt8(String(decoding: scalars.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                scalars = scalars.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
