import Dispatch

/// Runs a question journal by journal on two lanes at once, each lane a connection of its
/// own (journal i on lane i % 2, two journals at a time), and hands each journal's rows
/// over in journal order. A many-journal named query is one query per journal, each
/// using one core of the server (or of SQLite); the second lane puts the other core to
/// work. Each journal's rows are held until its turn: at most two journals' answers at
/// a time.
enum TwoLanes {
    /// `work(index, lane)` answers journal `index` on `lane` (0 or 1); `emit(index, answer)`
    /// returns false to stop. The first journal to fail stops it with its error, after
    /// the rows of the journals before it.
    static func run<Answer>(count: Int, work: (_ index: Int, _ lane: Int) throws(FleetError) -> Answer,
                            emit: (_ index: Int, _ answer: Answer) throws(FleetError) -> Bool) throws(FleetError) {
        var start = 0
        while start < count {
            let width = min(2, count - start)
            let results = PairResults<Answer>()
            withoutActuallyEscaping(work) { work in
                // Lane 0 uses only lane 0's connection, lane 1 only lane 1's; each writes
                // its own slot, read after concurrentPerform has returned.
                nonisolated(unsafe) let work = work
                let first = start
                DispatchQueue.concurrentPerform(iterations: width) { lane in
                    results.set(lane, Result { () throws(FleetError) in try work(first + lane, lane) })
                }
            }
            for lane in 0..<width where try !emit(start + lane, results.get(lane)) { return }
            start += width
        }
    }
}

/// The two lanes' answers for one pair of journals, a property each (not two elements of
/// one array, which the two threads would both be mutating).
private final class PairResults<Answer>: @unchecked Sendable {
    private var first: Result<Answer, FleetError>?
    private var second: Result<Answer, FleetError>?

    func set(_ lane: Int, _ result: Result<Answer, FleetError>) {
        if lane == 0 { first = result } else { second = result }
    }

    func get(_ lane: Int) throws(FleetError) -> Answer { try (lane == 0 ? first : second)!.get() }
}
