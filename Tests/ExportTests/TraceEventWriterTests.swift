import Testing
@testable import Export

@Suite struct TraceEventWriterTests {
    @Test(arguments: [(Int64(0), "0"), (12_000, "12"), (12_500, "12.5"), (1, "0.001"), (1_234_567, "1234.567"), (10, "0.01")])
    func nanosecondsAreWrittenAsMicroseconds(_ nanoseconds: Int64, _ text: String) {
        #expect(TraceEventWriter.microseconds(nanoseconds) == text)
    }

    @Test func anEventIsOneJSONObjectWithItsKeysInOrder() {
        var event = TraceEvent(name: "s1 \"quoted\"", category: "mapping", phase: .complete, timeNanoseconds: 6000,
                               durationNanoseconds: 4000, track: Track(pid: 1, tid: 2))
        event.args.add("iova", hex: 0xFFFF_C000)
        event.args.add("bounced", .flag(false))
        #expect(TraceEventWriter.json(event)
            == #"{"name":"s1 \"quoted\"","cat":"mapping","ph":"X","ts":6,"dur":4,"pid":1,"tid":2,"args":{"iova":"0xffffc000","bounced":false}}"#)
    }
}
