import Foundation

/// Checks a document against the trace-event format (Chrome's "Trace Event Format",
/// JSON Object Format) as trace viewers read it, independently of the exporter:
///
/// - the file parses with `JSONSerialization`; the top level is an object whose
///   `traceEvents` is an array; `displayTimeUnit`, when present, is "ms" or "ns";
/// - every event has `name` (string), `ph` (a known phase), `ts` (a number, microseconds,
///   not negative), `pid` and `tid` (integers); `X` has a `dur` number ≥ 0; `i`/`I` has `s`
///   in g, p, t; `M` names a known metadata record with its `args`;
/// - per track (pid, tid): `B`/`E` balance and close in order (an `E` with a name matches
///   its `B`), and `X` slices nest properly (a slice that starts inside another ends
///   inside it), as viewers need to stack them.
///
/// Returns the problems found, each naming the event index; empty for a valid trace.
enum TraceEventValidator {
    static let phases: Set<String> = ["B", "E", "X", "i", "I", "M", "C", "b", "e", "n", "s", "t", "f", "P", "O", "N", "D"]
    static let metadataNames: Set<String> = ["process_name", "process_labels", "process_sort_index", "thread_name", "thread_sort_index"]

    static func problems(in data: Data) -> [String] {
        guard let top = try? JSONSerialization.jsonObject(with: data) else { return ["not JSON"] }
        guard let object = top as? [String: Any], let events = object["traceEvents"] as? [Any] else {
            return ["the top level is not an object with a traceEvents array"]
        }
        var problems: [String] = []
        if let unit = object["displayTimeUnit"], !["ms", "ns"].contains(unit as? String ?? "") {
            problems.append("displayTimeUnit \(unit) is not ms or ns")
        }
        var tracks: [TrackKey: TrackEvents] = [:]
        for (index, item) in events.enumerated() {
            guard let event = item as? [String: Any] else {
                problems.append("event \(index): not an object")
                continue
            }
            problems += check(event, index: index)
            collect(event, index: index, into: &tracks)
        }
        for (key, track) in tracks.sorted(by: { $0.key < $1.key }) {
            problems += balance(track.beginEnd, key) + nesting(track.slices, key)
        }
        return problems
    }

    // MARK: one event

    private static func check(_ event: [String: Any], index: Int) -> [String] {
        var problems: [String] = []
        let place = "event \(index)"
        if !(event["name"] is String) { problems.append("\(place): no string name") }
        guard let phase = event["ph"] as? String, phases.contains(phase) else { return problems + ["\(place): no known ph"] }
        for key in ["ts", "pid", "tid"] where number(event[key]) == nil {
            problems.append("\(place) (\(phase)): \(key) is missing or not a number")
        }
        for key in ["pid", "tid"] {
            if let value = number(event[key]), value != value.rounded() { problems.append("\(place): \(key) is not an integer") }
        }
        if let ts = number(event["ts"]), ts < 0 || !ts.isFinite { problems.append("\(place): ts \(ts) is negative") }
        switch phase {
        case "X":
            if let duration = number(event["dur"]) {
                if duration < 0 { problems.append("\(place): dur \(duration) is negative") }
            } else {
                problems.append("\(place) (X): dur is missing or not a number")
            }
        case "i", "I":
            if !["g", "p", "t"].contains(event["s"] as? String ?? "") { problems.append("\(place) (\(phase)): s is not g, p or t") }
        case "M":
            let name = event["name"] as? String ?? ""
            let args = event["args"] as? [String: Any]
            if !metadataNames.contains(name) { problems.append("\(place): unknown metadata \(name)") }
            if name.hasSuffix("_name"), !(args?["name"] is String) { problems.append("\(place): \(name) without args.name") }
            if name.hasSuffix("_sort_index"), number(args?["sort_index"]) == nil { problems.append("\(place): \(name) without args.sort_index") }
        default:
            break
        }
        return problems
    }

    /// A JSON number (not a boolean) as a Double. `true` and `1` both come back as an
    /// NSNumber that casts to Bool; only a boolean's has the type code "c".
    static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return number.doubleValue
    }

    // MARK: per track

    struct TrackKey: Hashable, Comparable {
        var pid: Double
        var tid: Double
        static func < (left: TrackKey, right: TrackKey) -> Bool { (left.pid, left.tid) < (right.pid, right.tid) }
    }

    struct TrackEvents {
        /// (ts, is begin, name, event index), in file order.
        var beginEnd: [(ts: Double, begin: Bool, name: String?, index: Int)] = []
        /// (start, end, event index).
        var slices: [(start: Double, end: Double, index: Int)] = []
    }

    private static func collect(_ event: [String: Any], index: Int, into tracks: inout [TrackKey: TrackEvents]) {
        guard let pid = number(event["pid"]), let tid = number(event["tid"]), let ts = number(event["ts"]) else { return }
        let key = TrackKey(pid: pid, tid: tid)
        switch event["ph"] as? String {
        case "B", "E": tracks[key, default: TrackEvents()].beginEnd.append((ts, event["ph"] as? String == "B", event["name"] as? String, index))
        // In whole nanoseconds, as Perfetto's JSON importer reads them: adding the
        // microsecond Doubles (0.004 + 0.014) would round past an end that is equal.
        case "X":
            let start = (ts * 1000).rounded(), duration = ((number(event["dur"]) ?? 0) * 1000).rounded()
            tracks[key, default: TrackEvents()].slices.append((start / 1000, (start + duration) / 1000, index))
        default: break
        }
    }

    /// B/E in time order (file order among equal times) must pair up like brackets.
    private static func balance(_ events: [(ts: Double, begin: Bool, name: String?, index: Int)], _ key: TrackKey) -> [String] {
        var open: [(name: String?, index: Int)] = []
        for event in events.enumerated().sorted(by: { ($0.element.ts, $0.offset) < ($1.element.ts, $1.offset) }).map(\.element) {
            if event.begin {
                open.append((event.name, event.index))
            } else if let last = open.popLast() {
                if let name = event.name, let begun = last.name, name != begun {
                    return ["track \(key.pid)/\(key.tid): E '\(name)' (event \(event.index)) closes B '\(begun)' (event \(last.index))"]
                }
            } else {
                return ["track \(key.pid)/\(key.tid): E (event \(event.index)) without an open B"]
            }
        }
        return open.isEmpty ? [] : ["track \(key.pid)/\(key.tid): \(open.count) B without E (first event \(open[0].index))"]
    }

    /// X slices sorted by start (longest first among equal starts) must form a tree.
    private static func nesting(_ slices: [(start: Double, end: Double, index: Int)], _ key: TrackKey) -> [String] {
        var enclosing: [(start: Double, end: Double, index: Int)] = []
        for slice in slices.sorted(by: { ($0.start, -$0.end) < ($1.start, -$1.end) }) {
            while let top = enclosing.last, top.end <= slice.start { enclosing.removeLast() }
            if let top = enclosing.last, slice.end > top.end {
                return ["track \(key.pid)/\(key.tid): X event \(slice.index) [\(slice.start), \(slice.end)) overlaps event \(top.index) [\(top.start), \(top.end)) without nesting"]
            }
            enclosing.append(slice)
        }
        return []
    }
}
