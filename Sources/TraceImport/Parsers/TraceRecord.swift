/// One log record handed to a parser: its text, what its prefix said, and where the
/// message starts.
struct TraceRecord {
    let text: [UInt8]
    let prefix: LinePrefix
    let firstLine: Int
    let lineCount: Int

    var message: Range<Int> { prefix.messageStart..<text.count }

    /// An event of `kind` with this record's provenance.
    func event(_ kind: TraceEventKind, _ naming: String) -> ParsedEvent {
        ParsedEvent(kind: kind, naming: naming, provenance: provenance())
    }

    func provenance() -> EventProvenance {
        var provenance = EventProvenance(format: prefix.format, line: firstLine, lineCount: lineCount,
                                         raw: text.text(text.trimmed(0..<text.count)))
        provenance.timestampNanoseconds = prefix.timestampNanoseconds
        provenance.wallClock = prefix.wallClock
        provenance.cpu = prefix.cpu
        provenance.task = prefix.task
        provenance.pid = prefix.pid
        provenance.context = prefix.context
        return provenance
    }
}

/// What one record was, and the events it completed (a multi-line report completes on
/// the record after its last line).
struct LineResult {
    enum Disposition: Equatable {
        /// It reported an event (counted when the event is released).
        case event
        /// Part of an event reported on another line (a fault's decode lines).
        case context
        /// Not imported, for this reason.
        case skipped(SkipReason)
    }

    var disposition: Disposition
    var events: [ParsedEvent] = []

    static let context = LineResult(disposition: .context)
    static func skipped(_ reason: SkipReason) -> LineResult { LineResult(disposition: .skipped(reason)) }
    static func event(_ event: ParsedEvent) -> LineResult { LineResult(disposition: .event, events: [event]) }
}
