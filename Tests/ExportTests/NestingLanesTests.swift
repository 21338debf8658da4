import Testing
@testable import Export

/// The lanes of one handle's track: its life at the top, its ranges nested inside it,
/// and another lane only for a slice that cannot nest (a viewer rejects slices of one
/// thread that overlap without nesting).
@Suite struct NestingLanesTests {
    @Test func rangesNestInTheirLife() {
        var lanes = NestingLanes()
        #expect(lanes.placeTopLevel(start: 0, end: 10, life: 0) == 0)
        #expect(lanes.placeChild(start: 1, end: 4, life: 0) == (lane: 0, nested: true))
        // Ends with the life (unlinked by the destroy): still nested.
        #expect(lanes.placeChild(start: 5, end: 10, life: 0) == (lane: 0, nested: true))
        #expect(lanes.laneCount == 1)
    }

    /// A range still mapped after its life ended cannot nest: a second lane.
    @Test func aRangeOutlivingItsLifeOpensALane() {
        var lanes = NestingLanes()
        _ = lanes.placeTopLevel(start: 0, end: 10, life: 0)
        #expect(lanes.placeChild(start: 2, end: 12, life: 0) == (lane: 1, nested: false))
        #expect(lanes.laneCount == 2)
    }

    /// Two ranges of one life unlinked out of order: the second cannot nest in the first,
    /// which is still open on top of the life; it goes to another lane.
    @Test func rangesClosedOutOfOrderDoNotOverlapInALane() {
        var lanes = NestingLanes()
        _ = lanes.placeTopLevel(start: 0, end: 20, life: 0)
        #expect(lanes.placeChild(start: 1, end: 8, life: 0) == (lane: 0, nested: true))
        #expect(lanes.placeChild(start: 2, end: 9, life: 0) == (lane: 1, nested: false))
    }

    /// The handle used again after its life ended reuses the first lane: a slice that
    /// starts where another ended does not nest in it.
    @Test func aLaneIsReusedOnceItsSlicesEnded() {
        var lanes = NestingLanes()
        _ = lanes.placeTopLevel(start: 0, end: 10, life: 0)
        #expect(lanes.placeTopLevel(start: 10, end: 20, life: 10) == 0)
        #expect(lanes.placeChild(start: 11, end: 15, life: 10) == (lane: 0, nested: true))
        #expect(lanes.laneCount == 1)
        #expect(lanes.latestEnd == 20)
    }
}

/// The kernel's clock as the engine moves it (`Engine+Time`): an op's own time, else the
/// clock the ops before it left; `advance` moves it after its own call.
@Suite struct KernelClockTimeBaseTests {
    @Test func opsBetweenTimedOpsRunAtTheClockTheyLeft() {
        let clock = KernelClockTimeBase(clockOps: [(seq: 2, time: 1_000, advance: 0), (seq: 5, time: nil, advance: 500),
                                                   (seq: 8, time: 4_000, advance: 0)])
        #expect(clock.nanoseconds(atSeq: 0) == 0)       // before any clock op
        #expect(clock.nanoseconds(atSeq: 2) == 1_000)
        #expect(clock.nanoseconds(atSeq: 4) == 1_000)
        #expect(clock.nanoseconds(atSeq: 5) == 1_000)   // the advance runs at the clock, then moves it
        #expect(clock.nanoseconds(atSeq: 6) == 1_500)
        #expect(clock.nanoseconds(atSeq: 9) == 4_000)
        #expect(clock.nanoseconds(after: 9) == 4_000 + KernelClockTimeBase.tailNanoseconds)
        #expect(clock.isKernelClock && clock.displayTimeUnit == "ms")
    }

    /// A trace merged from several CPUs can go back a little: the time never does, and
    /// a clock near the end of Int64 saturates instead of trapping.
    @Test func timeNeverGoesBackwardsOrOverflows() {
        let clock = KernelClockTimeBase(clockOps: [(seq: 0, time: 5_000, advance: 0), (seq: 1, time: 4_000, advance: 0),
                                                   (seq: 2, time: .max - 10, advance: 100)])
        #expect(clock.nanoseconds(atSeq: 1) == 5_000)
        #expect(clock.nanoseconds(atSeq: 3) == .max)
        #expect(clock.nanoseconds(after: 3) == .max)
    }

    @Test func opOrderIsOneNanosecondPerOp() {
        let order = SequenceTimeBase()
        #expect(order.nanoseconds(atSeq: 12) == 12)
        #expect(order.nanoseconds(after: 12) == 13)
        #expect(order.nanoseconds(after: .max) == .max)
        #expect(!order.isKernelClock && order.displayTimeUnit == "ns")
    }

    @Test(arguments: [(Int64(12_094_264_000), "12.094264"), (12_094_264_001, "12.094264001"), (0, "0.000000"), (-1_500, "-0.000001500")])
    func kernelTimesPrintAsFtraceDoes(nanoseconds: Int64, text: String) {
        #expect(TimeText.seconds(nanoseconds) == text)
    }
}
