import Testing
@testable import DMASim

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("12.094264s", 12_094_264_000), ("10ms", 10_000_000), ("250us", 250_000), ("5000ns", 5000),
        ("1.5ms", 1_500_000), ("0.000000001s", 1), ("0s", 0), ("1.50ms", 1_500_000), ("007us", 7000),
        ("18446744073.709551615s", UInt64.max),
    ] as [(String, UInt64)])
    func textsReadAsNanoseconds(_ text: String, _ nanoseconds: UInt64) throws {
        #expect(try DurationText.value(of: text) == nanoseconds)
    }

    /// The shortest exact form; of equally short ones the larger unit (12.094264s, not 12094264us).
    @Test(arguments: [
        (12_094_264_000, "12.094264s"), (10_000_000, "10ms"), (250_000, "250us"), (5000, "5us"), (1, "1ns"),
        (0, "0s"), (1_500_000, "1.5ms"), (1_000_000_001, "1.000000001s"), (UInt64.max, "18446744073.709551615s"),
    ] as [(UInt64, String)])
    func nanosecondsPrintShortestExact(_ nanoseconds: UInt64, _ text: String) throws {
        #expect(DurationText.text(of: nanoseconds) == text)
        #expect(try DurationText.value(of: text) == nanoseconds)
    }

    @Test(arguments: [
        ("10", DurationText.Failure.malformed), ("ms", .malformed), ("1.s", .malformed), (".5s", .malformed),
        ("1,5ms", .malformed), ("-1s", .malformed), ("1 s", .malformed), ("1.5ns", .finerThanNanoseconds),
        ("0.0000000001s", .finerThanNanoseconds), ("18446744074s", .overflow), ("18446744073.709551616s", .overflow),
        ("99999999999999999999ns", .overflow),
    ] as [(String, DurationText.Failure)])
    func badTextsSayWhy(_ text: String, _ failure: DurationText.Failure) {
        #expect(throws: failure) { try DurationText.value(of: text) }
    }

    @Test func everyValuePrintsBackToItself() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let value = generator.next() >> (generator.next() % 64)
            #expect(try DurationText.value(of: DurationText.text(of: value)) == value)
        }
    }
}

