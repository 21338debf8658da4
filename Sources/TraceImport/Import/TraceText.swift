/// Parses trace text held in memory: the events a pasted excerpt holds, through the same
/// pipeline as a file (mail unwrapping, prefixes, parsers). For tests and tools that want
/// the events without a journal.
public enum TraceText {
    /// The events of `text`, in order.
    public static func events(in text: String) -> [ParsedEvent] {
        let source = TraceSource(path: "-", lines: TextLines(text), devices: DeviceDirectory())
        var events: [ParsedEvent] = []
        while let event = source.next() { events.append(event) }
        return events
    }
}
