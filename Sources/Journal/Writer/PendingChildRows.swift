import DMASim

/// The open batch's mapped ranges and events, the child rows nearly every link, map and
/// unmap has. The writer keeps them until the batch commits, then inserts each table's
/// rows in one run (`JournalWriter.insertPendingChildRows`).
///
/// Why wait: inserting an op's ranges and events right after its `ops` row alternates
/// statements and B-trees within every op, and SQLite then runs from cold caches
/// (callgrind: five times the L1 instruction misses, and fifteen times the L1 data misses
/// in `sqlite3VdbeExec`, of the C baseline, which fills one table at a time; issue #8).
/// The rows are the same, inserted in the same (seq, idx) order, and commit in the same
/// transaction as their ops, so a killed recording still keeps whole batches. Both row
/// types are plain values: keeping them costs no retains. Findings, warnings and
/// rejections are rare and are inserted with their op.
struct PendingChildRows {
    struct Range {
        let seq: Int64
        let index: Int
        let range: MappedRange
    }

    struct Event {
        let seq: Int64
        let index: Int
        let event: SideEvent
    }

    private(set) var ranges: [Range] = []
    private(set) var events: [Event] = []

    mutating func keep(rangesAndEventsOf outcome: Outcome, seq: Int64) {
        for (index, range) in outcome.ranges.enumerated() { ranges.append(Range(seq: seq, index: index, range: range)) }
        for (index, event) in outcome.events.enumerated() { events.append(Event(seq: seq, index: index, event: event)) }
    }

    mutating func removeAll() {
        ranges.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }
}
