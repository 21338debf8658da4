/// One event of the Chrome/Perfetto trace-event format ("JSON Object Format", the
/// `traceEvents` array). Times are nanoseconds here and written as microseconds, the
/// format's unit.
struct TraceEvent {
    /// The `ph` field: which kind of event.
    enum Phase: String {
        /// A complete slice: `ts` and `dur`.
        case complete = "X"
        /// A point in time; `s` says the scope it is drawn across.
        case instant = "i"
        /// Names and orders processes and threads; no time of its own.
        case metadata = "M"
    }

    /// The `s` field of an instant.
    enum Scope: String {
        case thread = "t", process = "p", global = "g"
    }

    var name: String
    var category: String?
    var phase: Phase
    var timeNanoseconds: Int64
    /// X only.
    var durationNanoseconds: Int64?
    /// i only.
    var scope: Scope?
    var track: Track
    var args = TraceArgs()
    /// A flow arrow (the format's "flow v2", on `X` slices): the slice it starts from has
    /// `.out`, the slice it points at `.in`, both with the same id.
    var flow: Flow?

    enum Flow {
        case out(id: UInt64)
        case `in`(id: UInt64)
    }
}

/// A trace track: a (pid, tid) pair. tids are unique across the whole trace, because the
/// format's viewers treat a tid seen under a second pid as a new thread.
struct Track: Hashable {
    var pid: Int
    var tid: Int
}

/// The `args` object of an event, in insertion order.
struct TraceArgs {
    enum Value {
        case text(String)
        case integer(Int64)
        /// An address or length shown as `0x…` text (JSON numbers lose 64-bit precision).
        case hex(UInt64)
        case flag(Bool)
    }

    private(set) var entries: [(key: String, value: Value)] = []

    mutating func add(_ key: String, _ value: Value?) {
        if let value { entries.append((key, value)) }
    }

    mutating func add(_ key: String, text: String?) { add(key, text.map(Value.text)) }
    mutating func add(_ key: String, integer: Int64?) { add(key, integer.map(Value.integer)) }
    mutating func add(_ key: String, hex: UInt64?) { add(key, hex.map(Value.hex)) }
}
