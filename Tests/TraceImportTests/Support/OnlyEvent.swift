import Testing
@testable import TraceImport

/// The one event `text` holds; records an issue when it holds another number of them.
func onlyEvent(in text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedEvent {
    let events = TraceText.events(in: text)
    #expect(events.count == 1, "\(events)", sourceLocation: sourceLocation)
    return try #require(events.first, sourceLocation: sourceLocation)
}
