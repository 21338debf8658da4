import Testing
@testable import Export

/// The report's building blocks: escaping, log2 buckets, the occupancy grid, the IOVA axis.
@Suite struct ReportPartsTests {
    @Test func markupAndControlCharactersAreEscaped() {
        #expect(HTMLText.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLText.escape("bell\u{7}\ttab") == "bell\u{FFFD}\ttab")
    }

    @Test(arguments: [(UInt64(0), 0), (1, 1), (2, 2), (3, 2), (4, 3), (4095, 12), (4096, 13), (UInt64.max, 64)])
    func valuesFallInPowerOfTwoBuckets(_ value: UInt64, _ bucket: Int) {
        #expect(Log2Histogram.bucket(of: value) == bucket)
        #expect(Log2Histogram.lowerBound(of: bucket) <= value)
    }

    @Test func occupiedRangeKeepsEmptyBucketsBetween() {
        var histogram = Log2Histogram()
        histogram.add(4096, count: 2)
        histogram.add(65536)
        #expect(histogram.occupiedRange.map(\.lowerBound) == [4096, 8192, 16384, 32768, 65536])
        #expect(histogram.occupiedRange.map(\.count) == [2, 0, 0, 0, 1])
        #expect(histogram.total == 3)
    }

    @Test func gridCellsHoldTheCoveredShare() {
        var grid = OccupancyGrid(columns: 4, rows: 2, seqEnd: 8)
        grid.add(start: 0, end: 2, bottom: 0, top: 0.5)      // column 0, row 0, full
        grid.add(start: 2, end: 3, bottom: 0.5, top: 0.75)   // column 1, row 1, a quarter of it
        grid.add(start: 6, end: 8, bottom: 0.5, top: 0.5001) // a sliver still shows
        #expect(grid.level(column: 0, row: 0) == 4)
        #expect(grid.level(column: 1, row: 1) == 1)
        #expect(grid.level(column: 3, row: 1) == 1)
        #expect(grid.level(column: 2, row: 0) == 0)
    }

    /// Two clusters far apart get a segment each; addresses in the cut have no position.
    @Test func theAxisCutsAWideEmptyStretch() {
        let low: UInt64 = 0x8000_0000, high: UInt64 = 0xFFFF_FFFF_F000
        let shift = IOVAAxis.blockShift(low: low, high: high)
        let lowBlock = IOVAAxis.OccupiedBlock(index: 0, low: low, high: low + 0x10000)
        let highBlock = IOVAAxis.OccupiedBlock(index: (high - 1 - low) >> UInt64(shift), low: high - 0x20000, high: high)
        let axis = IOVAAxis(low: low, high: high, blocks: [highBlock, lowBlock], blockShift: shift)
        #expect(axis.segments.count == 2)
        #expect(axis.position(of: low) == 0)
        #expect(axis.position(of: high) == 1)
        #expect(axis.position(of: 0x1_0000_0000_0000 / 2) == nil)
        let middleOfLow = axis.position(of: low + 0x8000) ?? -1
        #expect(middleOfLow > 0 && middleOfLow < axis.segments[0].share)
    }

    @Test func aDenseWindowIsOneLinearSegment() {
        let blocks = (0..<1024).map { IOVAAxis.OccupiedBlock(index: UInt64($0), low: UInt64($0) << 12, high: UInt64($0 + 1) << 12) }
        let axis = IOVAAxis(low: 0, high: 1024 << 12, blocks: blocks, blockShift: 12)
        #expect(axis.segments.count == 1)
        #expect(axis.position(of: 512 << 12) == 0.5)
    }
}
