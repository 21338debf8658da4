import Journal

/// What one file held: lines, events per naming, skipped lines per reason with the first
/// few of each, and the formats recognized.
struct SourceTally {
    static let examplesPerReason = 3

    var lines = 0
    var events = 0
    /// Lines of records that reported an event or completed one.
    var eventLines = 0
    var eventCounts: [String: Int] = [:]
    var eventsByKind: [String: Int] = [:]
    var skipped = 0
    var skipCounts: [String: Int] = [:]
    var skipExamples: [ImportSkipExample] = []
    /// Lines that looked like DMA or IOMMU reports but were not read.
    var notUnderstoodLines = 0
    var formats: Set<SourceFormat> = []
    var joinedLines = 0
    var quotedLines = 0
    /// What ended the file's lines early (a read error, damaged or truncated gzip data).
    var readFailure: String?

    mutating func countEvent(_ event: ParsedEvent) {
        events += 1
        eventCounts[event.naming, default: 0] += 1
        eventsByKind[event.kind.summaryName, default: 0] += 1
        formats.insert(event.provenance.format)
    }

    /// Counts a record's lines by what they were.
    mutating func countRecord(_ record: TraceRecord, _ disposition: LineResult.Disposition) {
        switch disposition {
        case .event, .context:
            eventLines += record.lineCount
        case .skipped(let reason):
            countSkipped(reason, record)
        }
    }

    mutating func countSkipped(_ reason: SkipReason, _ record: TraceRecord) {
        countSkipped(reason, line: record.firstLine, lineCount: record.lineCount, text: record.text.text(0..<record.text.count))
    }

    /// An event its parser read but the import cannot take (a range past 2^64): its lines
    /// count as skipped for `reason`, not as read.
    mutating func reject(_ event: ParsedEvent, _ reason: SkipReason) {
        let lineCount = event.provenance.lineCount
        eventLines = max(0, eventLines - lineCount)
        countSkipped(reason, line: event.provenance.line, lineCount: lineCount, text: event.provenance.raw)
    }

    private mutating func countSkipped(_ reason: SkipReason, line: Int, lineCount: Int, text: String) {
        skipped += lineCount
        if reason.isNotUnderstood { notUnderstoodLines += lineCount }
        let count = skipCounts[reason.text, default: 0]
        skipCounts[reason.text] = count + lineCount
        if skipExamples.count(where: { $0.reason == reason.text }) < Self.examplesPerReason {
            skipExamples.append(ImportSkipExample(line: line, reason: reason.text, text: text))
        }
    }

    /// The not-understood lines kept as examples, in line order.
    var notUnderstood: [ImportSkipExample] {
        skipExamples.filter { SkipReason(text: $0.reason).isNotUnderstood }.sorted { $0.line < $1.line }
    }

    /// The journal's record of the file.
    var totals: ImportSourceTotals {
        ImportSourceTotals(formats: SourceFormat.allCases.filter(formats.contains).map(\.rawValue), lines: lines, events: events,
                           skipped: skipped, joinedLines: joinedLines, quotedLines: quotedLines, eventCounts: eventCounts,
                           skipCounts: skipCounts, skipExamples: skipExamples)
    }
}
