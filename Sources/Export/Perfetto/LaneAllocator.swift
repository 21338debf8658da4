/// Packs time intervals into lanes so that no two in one lane overlap: a trace viewer
/// draws the slices of one thread as a stack and rejects slices that overlap without
/// nesting, while mapping lifetimes of one device overlap freely.
///
/// Intervals must arrive in order of their start. Each goes to the lowest-numbered lane
/// free at its start (greedy interval partitioning, which needs exactly as many lanes as
/// the most intervals alive at once). Memory grows with that number, not with the count
/// of intervals.
struct LaneAllocator {
    private struct BusyLane: Comparable {
        var end: Int64
        var lane: Int
        static func < (left: BusyLane, right: BusyLane) -> Bool {
            (left.end, left.lane) < (right.end, right.lane)
        }
    }

    private var busy = MinHeap<BusyLane>()
    private var free = MinHeap<Int>()
    private var lastStart = Int64.min
    /// Lanes handed out so far: 0 ..< laneCount.
    private(set) var laneCount = 0

    /// The lane for the half-open interval [start, end). A lane whose last interval ends
    /// exactly at `start` is free again.
    mutating func lane(start: Int64, end: Int64) -> Int {
        precondition(start >= lastStart, "intervals must come in order of their start")
        lastStart = start
        while let earliest = busy.minimum, earliest.end <= start {
            _ = busy.removeMinimum()
            free.insert(earliest.lane)
        }
        let lane = free.removeMinimum() ?? newLane()
        busy.insert(BusyLane(end: end, lane: lane))
        return lane
    }

    private mutating func newLane() -> Int {
        laneCount += 1
        return laneCount - 1
    }
}
