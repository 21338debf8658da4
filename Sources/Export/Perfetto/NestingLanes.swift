/// The lanes (trace threads) of one IOVA state's or streaming mapping's track, where its
/// slices nest: the life of the state (alloc to destroy or free) at the top, the ranges its
/// links put in the page table inside it. A trace viewer stacks the slices of one thread
/// and rejects two that overlap without one containing the other; so a slice goes into
/// the first lane where it nests, and only a slice that cannot (a link still mapped after
/// its state was destroyed, two links unlinked out of order) opens another lane.
///
/// Slices must arrive in order of their start. Each lane keeps the stack of its slices
/// still open, so memory grows with the slices alive at once.
struct NestingLanes {
    private struct OpenSlice {
        var end: Int64
        /// The life this slice is, or belongs to; nil for a slice of no life.
        var life: Int64?
        var isLife: Bool
    }

    private var lanes: [[OpenSlice]] = []

    /// Lanes opened so far: 0 ..< laneCount.
    var laneCount: Int { lanes.count }

    /// Where the latest open slice ends (`Int64.min` when none is open).
    var latestEnd: Int64 { lanes.joined().map(\.end).max() ?? .min }

    /// The lane for a slice at the top of a lane: a life `life` (its start seq), or a
    /// slice that nests in nothing (`life` nil). The first lane with nothing open at
    /// `start` takes it.
    mutating func placeTopLevel(start: Int64, end: Int64, life: Int64?) -> Int {
        for lane in lanes.indices {
            close(lane, before: start)
            if lanes[lane].isEmpty {
                lanes[lane].append(OpenSlice(end: end, life: life, isLife: life != nil))
                return lane
            }
        }
        lanes.append([OpenSlice(end: end, life: life, isLife: life != nil)])
        return lanes.count - 1
    }

    /// The lane for a slice that belongs to life `life`: inside the life's slice when it
    /// nests there (it ends no later than the slice open on top of it), else at the top
    /// of another lane. Returns the lane and whether the slice nests in its life.
    mutating func placeChild(start: Int64, end: Int64, life: Int64) -> (lane: Int, nested: Bool) {
        for lane in lanes.indices {
            close(lane, before: start)
            guard let bottom = lanes[lane].first, bottom.isLife, bottom.life == life else { continue }
            if let top = lanes[lane].last, end <= top.end {
                lanes[lane].append(OpenSlice(end: end, life: life, isLife: false))
                return (lane, true)
            }
        }
        return (placeTopLevel(start: start, end: end, life: nil), false)
    }

    /// Drops the slices of `lane` that ended by `start`: a slice [a, b) is over at b,
    /// as a viewer closes it (a slice starting exactly at b does not nest in it).
    private mutating func close(_ lane: Int, before start: Int64) {
        while let top = lanes[lane].last, top.end <= start { lanes[lane].removeLast() }
    }
}
