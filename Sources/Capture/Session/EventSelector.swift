/// A trace event or a whole system to enable, as `--events` names it: `dma` or `dma:*`
/// (the system), `block:block_rq_issue` (one event), `iommu/map` also accepted.
public struct EventSelector: Equatable, Sendable, CustomStringConvertible {
    public var system: String
    /// nil: every event of the system.
    public var event: String?

    public init(system: String, event: String? = nil) {
        self.system = system
        self.event = event
    }

    /// The default: every `dma:*` (6.12+) and `iommu:*` event.
    public static let defaults = [EventSelector(system: "dma"), EventSelector(system: "iommu")]

    /// Parses a comma- or space-separated list; throws on a malformed name.
    public static func parseList(_ text: String) throws(CaptureError) -> [EventSelector] {
        var selectors: [EventSelector] = []
        for word in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let parts = word.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "/" }).map(String.init)
            guard let system = parts.first, isName(system) else { throw .environment("--events: '\(word)' is not SYSTEM or SYSTEM:EVENT") }
            var selector = EventSelector(system: system)
            if parts.count == 2, parts[1] != "*" {
                guard isName(parts[1]) else { throw .environment("--events: '\(word)' is not SYSTEM or SYSTEM:EVENT") }
                selector.event = parts[1]
            }
            if !selectors.contains(selector) { selectors.append(selector) }
        }
        if selectors.isEmpty { throw .environment("--events: no event named") }
        return selectors
    }

    /// tracefs names: letters, digits, `_`, `-` (group names must not hold `.`, as
    /// `traceprobe_parse_event_name()` refuses it).
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
    }

    /// The `enable` file under a trace array's `events/`.
    public var enablePath: String { event.map { "events/\(system)/\($0)/enable" } ?? "events/\(system)/enable" }

    public var description: String { "\(system):\(event ?? "*")" }
}
