import Testing
@testable import DMASim

/// `SpanSet` (unlinked granules) and `AddressRange`: the arithmetic that must not trap.
@Suite struct SpanSetTests {
    @Test func insertMergesTouchingSpansAndRemoveCuts() {
        var set = SpanSet()
        set.insert(first: 10, last: 19)
        set.insert(first: 30, last: 39)
        set.insert(first: 20, last: 29)  // touches both
        #expect(set.elements == [SpanSet.Span(first: 10, last: 39)])
        set.remove(first: 15, last: 24)
        #expect(set.elements == [SpanSet.Span(first: 10, last: 14), SpanSet.Span(first: 25, last: 39)])
        #expect(set.contains(14) && !set.contains(15) && set.contains(25))
        set.insert(first: 0, last: .max)
        #expect(set.elements == [SpanSet.Span(first: 0, last: .max)])
        set.remove(first: 0, last: .max)
        #expect(set.isEmpty)
    }

    @Test func addressRangesThatWouldWrapAreNil() {
        #expect(AddressRange(start: .max, length: 1)?.last == .max)
        #expect(AddressRange(start: .max, length: 2) == nil)
        #expect(AddressRange(start: 1, length: .max)?.last == .max)
        #expect(AddressRange(start: 2, length: .max) == nil)
        #expect(AddressRange(start: 0, length: .max)?.end == .max)
        #expect(AddressRange(start: 0x1000, length: 0)?.last == nil)
        #expect(AddressRange.clamped(start: .max - 0xff, length: 0x1000).length == 0x100)
    }
}
