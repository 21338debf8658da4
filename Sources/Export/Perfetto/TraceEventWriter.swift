import Journal

/// Writes a trace-event JSON object as a stream: the header, then one event per line as
/// they come, then the closing brackets. Nothing is held back, so a trace of millions of
/// events costs no more memory than one line.
///
///     {"displayTimeUnit":"ns","otherData":{…},"traceEvents":[
///     {"name":"s1 @0xffffc000","cat":"mapping","ph":"X","ts":6,"dur":4,"pid":1,"tid":2,"args":{…}},
///     …
///     ]}
final class TraceEventWriter {
    private let output: TextOutput
    private(set) var eventCount = 0

    /// Writes the header; `otherData` goes into the object's `otherData` (run information),
    /// `displayTimeUnit` ("ns" or "ms") is the unit chrome://tracing shows durations in.
    init(output: TextOutput, displayTimeUnit: String, otherData: [(String, String)]) {
        self.output = output
        let fields = otherData.map { JSONString.literal($0.0) + ":" + JSONString.literal($0.1) }
        output.write("{\"displayTimeUnit\":" + JSONString.literal(displayTimeUnit) + ",\"otherData\":{" + fields.joined(separator: ",")
            + "},\"traceEvents\":[\n")
    }

    func write(_ event: TraceEvent) {
        output.write((eventCount == 0 ? "" : ",\n") + Self.json(event))
        eventCount += 1
    }

    func finish() {
        output.write("\n]}\n")
    }

    /// One event as a JSON object, keys in the order the format's documentation lists them.
    static func json(_ event: TraceEvent) -> String {
        var text = "{\"name\":" + JSONString.literal(event.name)
        if let category = event.category { text += ",\"cat\":" + JSONString.literal(category) }
        text += ",\"ph\":\"" + event.phase.rawValue + "\",\"ts\":" + microseconds(event.timeNanoseconds)
        if let duration = event.durationNanoseconds { text += ",\"dur\":" + microseconds(duration) }
        if let scope = event.scope { text += ",\"s\":\"" + scope.rawValue + "\"" }
        text += ",\"pid\":\(event.track.pid),\"tid\":\(event.track.tid)"
        switch event.flow {
        case .out(let id): text += ",\"bind_id\":\(id),\"flow_out\":true"
        case .in(let id): text += ",\"bind_id\":\(id),\"flow_in\":true"
        case nil: break
        }
        if !event.args.entries.isEmpty { text += ",\"args\":{" + args(event.args) + "}" }
        return text + "}"
    }

    /// Nanoseconds as the format's microseconds: `12`, or `12.5` with the fraction kept
    /// exactly (at most three digits, trailing zeros dropped).
    static func microseconds(_ nanoseconds: Int64) -> String {
        let whole = nanoseconds / 1000, fraction = abs(nanoseconds % 1000)
        let sign = nanoseconds < 0 && whole == 0 ? "-" : ""
        guard fraction != 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(whole) + "." + digits
    }

    private static func args(_ args: TraceArgs) -> String {
        args.entries.map { JSONString.literal($0.key) + ":" + value($0.value) }.joined(separator: ",")
    }

    private static func value(_ value: TraceArgs.Value) -> String {
        switch value {
        case .text(let text): return JSONString.literal(text)
        case .integer(let integer): return String(integer)
        case .hex(let number): return "\"0x" + String(number, radix: 16) + "\""
        case .flag(let flag): return flag ? "true" : "false"
        }
    }
}
