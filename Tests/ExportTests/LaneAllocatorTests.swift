import Testing
@testable import Export

/// Lane packing: no two intervals in one lane overlap, and the lane count is the most
/// intervals alive at once (greedy partitioning is optimal).
@Suite struct LaneAllocatorTests {
    @Test func aLaneIsReusedWhenItsIntervalEnded() {
        var lanes = LaneAllocator()
        #expect(lanes.lane(start: 0, end: 5) == 0)
        #expect(lanes.lane(start: 1, end: 3) == 1)
        #expect(lanes.lane(start: 3, end: 9) == 1)  // lane 1 ended exactly at 3
        #expect(lanes.lane(start: 4, end: 6) == 2)
        #expect(lanes.lane(start: 6, end: 7) == 0)  // the lowest free lane
        #expect(lanes.laneCount == 3)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomIntervalsNeverOverlapInALane(seed: UInt64) {
        var state = seed
        let next = { () -> Int64 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int64((state >> 33) % 50)
        }
        var intervals: [(Int64, Int64)] = []
        var start: Int64 = 0
        for _ in 0..<500 {
            start += next() % 3
            intervals.append((start, start + 1 + next()))
        }
        var lanes = LaneAllocator()
        var lastEnd: [Int: Int64] = [:]
        for (start, end) in intervals {
            let lane = lanes.lane(start: start, end: end)
            #expect((lastEnd[lane] ?? Int64.min) <= start)
            lastEnd[lane] = end
        }
        let points = intervals.flatMap { [($0.0, 1), ($0.1, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var live = 0, mostLive = 0
        for point in points {
            live += point.1
            mostLive = max(mostLive, live)
        }
        #expect(lanes.laneCount == mostLive)
    }
}
