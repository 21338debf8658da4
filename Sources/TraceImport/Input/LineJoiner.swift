/// Turns physical lines into log records: removes mail quote prefixes, and re-joins a line
/// a mail client wrapped. A line is taken as the rest of the one before when it does not
/// open a record itself, starts at its first column (a mail client breaks at a space and
/// indents nothing, while an indented line is one of a pasted, indented log), sits at the
/// same quote depth right after a record, and the line before looks wrapped: between 40
/// and 100 characters long (mail clients wrap at 72 to 80 columns), or ending in a space
/// (format=flowed's soft break). A blank line ends a record. The joined record keeps the
/// number of its first line.
struct LineJoiner {
    private(set) var joinedLines = 0
    private(set) var quotedLines = 0
    private var pending: LogicalLine?

    static let wrapWidths = 40...100

    /// Feeds physical line `number`; returns the record the line completed, if any.
    mutating func feed(_ line: [UInt8], number: Int) -> LogicalLine? {
        let (depth, textStart) = MailQuote.strip(line)
        if depth > 0 { quotedLines += 1 }
        let text = Array(line[textStart...])
        let isBlank = text.allSatisfy(\.isSpace)
        if isBlank { return flush() }
        let startsRecord = RecordStart.isRecordStart(text, from: 0)
        if !startsRecord, text.first?.isSpace == false, var record = pending, record.startsRecord, record.quoteDepth == depth,
           Self.looksWrapped(record) {
            while let last = record.text.last, last.isSpace { record.text.removeLast() }
            let rest = text[text.trimmed(0..<text.count)]
            // A break inside a number (a terminal's column, not a mail client) joins without a space.
            if record.lastEndsWithSpace || !SplitNumber.isInside(record.text[...], rest) { record.text.append(.space) }
            record.text.append(contentsOf: rest)
            record.lineCount += 1
            record.lastPhysicalLength = line.count
            record.lastEndsWithSpace = line.last == .space
            pending = record
            joinedLines += 1
            return nil
        }
        let completed = flush()
        pending = LogicalLine(text: text, firstLine: number, lineCount: 1, quoteDepth: depth, startsRecord: startsRecord,
                              lastPhysicalLength: line.count, lastEndsWithSpace: line.last == .space)
        return completed
    }

    /// The record still open at the end of the input.
    mutating func flush() -> LogicalLine? {
        defer { pending = nil }
        return pending
    }

    private static func looksWrapped(_ record: LogicalLine) -> Bool {
        record.lastEndsWithSpace || wrapWidths.contains(record.lastPhysicalLength)
    }
}
