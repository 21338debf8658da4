import Journal

/// Why an import could not be done, as one line naming the file.
public enum TraceImportError: Error, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String)
    /// The file holds no DMA or IOMMU event this importer reads.
    case noEvents(path: String, lines: Int, skipped: Int, firstSkip: ImportSkipExample?)
    case journal(JournalError)
    /// An imported op's stored claims (`ops.claims`) do not parse.
    case badClaims(path: String, seq: Int, text: String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "\(path): cannot read the file (missing, a directory, or no permission)"
        case .noEvents(let path, let lines, let skipped, let first):
            let example = first.map { "; line \($0.line): \($0.reason): '\(Self.cut($0.text))'" } ?? ""
            return "\(path): no DMA or IOMMU events in \(lines) lines (\(skipped) skipped\(example))"
        case .journal(let error):
            return error.description
        case .badClaims(let path, let seq, let text):
            return "\(path): seq \(seq): the kernel's claims '\(Self.cut(text))' do not parse"
        }
    }

    /// `text`, cut to `limit` characters with an ellipsis.
    public static func cut(_ text: String, limit: Int = 80) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
