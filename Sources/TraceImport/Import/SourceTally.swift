import Journal

/// What one file held: lines, events per naming, skipped lines per reason with the first
/// few of each, and the formats recognized.
struct SourceTally {
    static let examplesPerReason = 3

    var lines = 0
    var events = 0
    var eventCounts: [String: Int] = [:]
    var eventsByKind: [String: Int] = [:]
    var skipped = 0
    var skipCounts: [String: Int] = [:]
    var skipExamples: [ImportSkipExample] = []
    var formats: Set<SourceFormat> = []
    var joinedLines = 0
    var quotedLines = 0

    mutating func countEvent(_ event: ParsedEvent) {
        events += 1
        eventCounts[event.naming, default: 0] += 1
        eventsByKind[event.kind.summaryName, default: 0] += 1
        formats.insert(event.provenance.format)
    }

    mutating func countSkipped(_ reason: SkipReason, _ line: LogicalLine) {
        skipped += line.lineCount
        let count = skipCounts[reason.text, default: 0]
        skipCounts[reason.text] = count + line.lineCount
        if skipExamples.count(where: { $0.reason == reason.text }) < Self.examplesPerReason {
            skipExamples.append(ImportSkipExample(line: line.firstLine, reason: reason.text, text: line.text.text(0..<line.text.count)))
        }
    }

    /// The journal's record of the file.
    var totals: ImportSourceTotals {
        ImportSourceTotals(formats: SourceFormat.allCases.filter(formats.contains).map(\.rawValue), lines: lines, events: events,
                           skipped: skipped, joinedLines: joinedLines, quotedLines: quotedLines, eventCounts: eventCounts,
                           skipCounts: skipCounts, skipExamples: skipExamples)
    }
}
