import Testing
@testable import DMASim

/// The primitives of the state format: what is written reads back, and reads past the
/// end or of malformed values throw at the byte where the field starts.
@Suite struct StateWriterReaderTests {
    static func reader(_ writer: StateWriter) -> StateReader {
        StateReader(writer.bytes, from: 0, to: writer.bytes.count)
    }

    @Test func varintsRoundTripAndStaySmall() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 1 << 32, .max - 1, .max]
        var writer = StateWriter()
        for value in values { writer.varint(value) }
        #expect(writer.bytes.count == 1 + 1 + 1 + 2 + 2 + 5 + 10 + 10)
        var reader = Self.reader(writer)
        for value in values { #expect(try reader.varint("value") == value) }
        try reader.expectEnd()
    }

    @Test func signedValuesZigzag() throws {
        let values: [Int64] = [0, -1, 1, -64, 63, .min, .max]
        var writer = StateWriter()
        for value in values { writer.signed(value) }
        #expect(writer.bytes.prefix(5) == [0, 1, 2, 127, 126])
        var reader = Self.reader(writer)
        for value in values { #expect(try reader.signed("value") == value) }
    }

    @Test func stringsFlagsAndKeysRoundTrip() throws {
        var writer = StateWriter()
        writer.string("nvme0/é")
        writer.flags(true, false, true)
        var previous: UInt64?
        for key in [5, 6, 9, UInt64.max] { writer.ascendingKey(key, after: &previous) }
        writer.wordMap([(key: 1, word: 0x1000_0003), (key: 2, word: 0x1000_1003)])
        var reader = Self.reader(writer)
        #expect(try reader.string("name") == "nvme0/é")
        #expect(try reader.flags("flags", count: 3) == StateFlags(bits: 0b101))
        var readPrevious: UInt64?
        for key in [5, 6, 9, UInt64.max] { #expect(try reader.ascendingKey("key", after: &readPrevious) == key) }
        let map = try reader.wordMap("map")
        #expect(map.map(\.key) == [1, 2] && map.map(\.word) == [0x1000_0003, 0x1000_1003])
        try reader.expectEnd()
    }

    @Test func aVarintLongerThan64BitsIsInvalid() {
        var reader = StateReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], from: 0, to: 10)
        #expect(throws: EngineStateError(.invalid(field: "value", reason: "varint longer than 64 bits"), at: 0)) {
            try reader.varint("value")
        }
    }

    @Test func aCountLongerThanTheBytesLeftIsTruncated() {
        var writer = StateWriter()
        writer.varint(1000)
        writer.byte(7)
        var reader = Self.reader(writer)
        #expect(throws: EngineStateError(.truncated(field: "things (1000 elements)"), at: 0)) {
            try reader.count("things")
        }
    }

    @Test func badBooleansFlagsAndUTF8AreRefused() {
        var reader = StateReader([2, 0b1000, 2, 0xC3, 0x28], from: 0, to: 5)
        #expect(throws: EngineStateError(.badTag(field: "bool", value: 2), at: 0)) { try reader.bool("bool") }
        #expect(throws: EngineStateError(.badTag(field: "flags", value: 8), at: 1)) { try reader.flags("flags", count: 3) }
        #expect(throws: EngineStateError(.invalid(field: "name", reason: "not UTF-8"), at: 2)) { try reader.string("name") }
    }

    @Test func disjointRangesCostTwoBytesWhenPacked() throws {
        var writer = StateWriter()
        var previous: UInt64?
        for range: ClosedRange<UInt64> in [10...12, 13...13, 20...100] {
            writer.disjointRange(range.lowerBound, range.upperBound, after: &previous)
        }
        #expect(writer.bytes == [10, 2, 0, 0, 6, 80])
        var reader = Self.reader(writer)
        var readPrevious: UInt64?
        var ranges: [ClosedRange<UInt64>] = []
        for _ in 0..<3 { ranges.append(try reader.disjointRange("range", after: &readPrevious)) }
        #expect(ranges == [10...12, 13...13, 20...100])
    }

    @Test func aKeyPastTheTopIsInvalid() throws {
        var writer = StateWriter()
        writer.varint(UInt64.max)
        writer.varint(0)
        var reader = Self.reader(writer)
        var previous: UInt64?
        _ = try reader.ascendingKey("key", after: &previous)
        #expect(throws: EngineStateError(.invalid(field: "key", reason: "key past the 64-bit range"), at: 10)) {
            try reader.ascendingKey("key", after: &previous)
        }
    }
}
