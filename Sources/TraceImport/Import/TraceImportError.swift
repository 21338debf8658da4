import Journal

/// Why an import could not be done, as one line naming the file.
public enum TraceImportError: Error, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String)
    /// The file holds no DMA or IOMMU event this importer reads.
    case noEvents(path: String, lines: Int, skipped: Int, firstSkip: ImportSkipExample?)
    /// The file holds lines that look like DMA or IOMMU reports, and not one could be read.
    case noneUnderstood(path: String, lines: Int, first: ImportSkipExample)
    /// The journal could not be written.
    case journal(JournalError)
    /// The file's bytes ended before its end: a read error, damaged or truncated gzip data.
    /// The lines before it are imported (when they hold events).
    case damaged(path: String, afterLine: Int, reason: String)
    /// An imported op's stored claims (`ops.claims`) do not parse.
    case badClaims(path: String, seq: Int, text: String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "\(path): cannot read the file (missing, a directory, or no permission)"
        case .noEvents(let path, let lines, let skipped, let first):
            let example = first.map { "; line \($0.line): \($0.reason): '\(Self.cut($0.text))'" } ?? ""
            return "\(path): no DMA or IOMMU events in \(lines) lines (\(skipped) skipped\(example))"
        case .noneUnderstood(let path, let lines, let first):
            let lineWord = lines == 1 ? "line looks" : "lines look"
            return "\(path): \(lines) \(lineWord) like DMA or IOMMU reports, but none could be read"
                + " (line \(first.line): \(first.reason): '\(Self.cut(first.text))'); nothing imported"
        case .journal(let error):
            return error.description
        case .damaged(let path, let line, let reason):
            return "\(path): \(reason), after line \(line)"
        case .badClaims(let path, let seq, let text):
            return "\(path): seq \(seq): the kernel's claims '\(Self.cut(text))' do not parse"
        }
    }

    /// `text` made safe to print (`printable`), cut to `limit` characters with an ellipsis.
    public static func cut(_ text: String, limit: Int = 80) -> String {
        let safe = printable(text)
        return safe.count > limit ? String(safe.prefix(limit)) + "…" : safe
    }

    /// `text` with the control characters a log can carry (ESC sequences, CR, BEL, C1
    /// controls) spelled out as `\e`, `\r`, `\xNN`, so echoing a line never moves the
    /// cursor, recolours or rewrites the terminal. Tabs stay.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { result.unicodeScalars.append(scalar); continue }
            switch scalar.value {
            case 0x1b: result += "\\e"
            case 0x0d: result += "\\r"
            case 0x0a: result += "\\n"
            default:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09) || (0x7f...0x9f).contains(value)
    }
}
