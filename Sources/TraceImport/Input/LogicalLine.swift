/// One log record as written: a physical line, or several a mail client had wrapped,
/// joined again, with the mail quote prefix removed.
struct LogicalLine {
    var text: [UInt8]
    /// The first physical line, from 1, and how many it spans.
    var firstLine: Int
    var lineCount: Int
    var quoteDepth: Int
    /// Whether the first line starts a log record (a timestamp, a known prefix, an ftrace
    /// event), rather than prose.
    var startsRecord: Bool
    /// The length of the last physical line, quote prefix included: the width a mail
    /// client wrapped at, if it did.
    var lastPhysicalLength: Int
    var lastEndsWithSpace: Bool
}
