import Testing
@testable import TraceImport

/// The kernel log's structured forms read as the dmesg lines they hold
/// (`StructuredLogLines`): journalctl's `-o json`, `-o json-pretty`, `-o json-seq` and
/// `-o verbose`, util-linux `dmesg --json`. Plain lines pass unchanged.
@Suite struct StructuredLogLinesTests {
    func lines(_ text: String) -> [(String, Int)] {
        let reader = StructuredLogLines(TextLines(text))
        var lines: [(String, Int)] = []
        while let line = reader.next() { lines.append((String(decoding: line, as: UTF8.self), reader.lineNumber)) }
        return lines
    }

    func texts(_ text: String) -> [String] { lines(text).map(\.0) }

    /// A kmsg record's own time (`_SOURCE_MONOTONIC_TIMESTAMP`, µs since boot) beats the
    /// time journald received it (`__MONOTONIC_TIMESTAMP`).
    @Test func journalJSONTakesTheKernelsOwnTime() {
        let json = #"{"__MONOTONIC_TIMESTAMP":"12349999","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"12345678","MESSAGE":"DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000"}"#
        #expect(texts(json) == ["[   12.345678] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000"])
        let received = #"{"__MONOTONIC_TIMESTAMP":"7000001","MESSAGE":"x"}"#
        #expect(texts(received) == ["[    7.000001] x"])
    }

    /// json-seq puts RS (0x1E) before each object (RFC 7464).
    @Test func jsonSeqRecordSeparatorsGo() {
        #expect(texts("\u{1E}{\"__MONOTONIC_TIMESTAMP\":\"1\",\"MESSAGE\":\"a\"}") == ["[    0.000001] a"])
    }

    /// json-pretty spreads a record over lines; a MESSAGE that is not valid UTF-8 is an
    /// array of its bytes, one a line. The record keeps the number of its `{` line.
    @Test func prettyRecordsAndByteArraysAreGathered() {
        let pretty = "{\n\t\"_SOURCE_MONOTONIC_TIMESTAMP\" : \"5000000\",\n\t\"MESSAGE\" : [\n\t\t104,\n\t\t105,\n\t\t255\n\t]\n}\n{\n\t\"MESSAGE\" : \"b\"\n}"
        let read = lines(pretty)
        #expect(read.map(\.1) == [1, 9])
        #expect(read[0].0.hasPrefix("[    5.000000] hi"))
        #expect(read[1].0 == "b")
    }

    /// dmesg --json: `time` is seconds as printed; compact or pretty alike.
    @Test func dmesgJSONRecords() {
        let pretty = "{\n   \"dmesg\": [\n      {\n         \"pri\": 3,\n         \"time\":     12.345678,\n         \"msg\": \"one\"\n      },{\n         \"pri\": 4,\n         \"time\":     12.400000,\n         \"msg\": \"two\"\n      }\n   ]\n}"
        #expect(lines(pretty).map(\.0) == ["[12.345678] one", "[12.400000] two"])
        #expect(lines(pretty).map(\.1) == [3, 7])
        #expect(texts(#"{"dmesg":[{"pri":3,"time":1.5,"msg":"a"},{"pri":3,"time":2.5,"msg":"b"}]}"#) == ["[1.5] a", "[2.5] b"])
    }

    /// Escapes are undone (`\"`, `\\`, `\u00e4`, a surrogate pair); a message of several
    /// lines gives one line each, with the record's time.
    @Test func escapesAndMessagesOfSeveralLines() {
        let json = #"{"__MONOTONIC_TIMESTAMP":"1000000","MESSAGE":"a \"q\" \\ \u00e4 \ud83d\ude00\nsecond"}"#
        #expect(texts(json) == ["[    1.000000] a \"q\" \\ ä 😀", "[    1.000000] second"])
    }

    /// journalctl -o verbose: the header's `m=` (hex µs) when the record has no
    /// `_SOURCE_MONOTONIC_TIMESTAMP`; the next unindented line ends the record.
    @Test func verboseRecords() {
        let verbose = """
        Wed 2021-02-24 07:00:05.149278 UTC [s=3f0c;i=100;b=6f1e;m=4e925e;t=5bc0f95abce5e;x=9e37]
            _TRANSPORT=kernel
            MESSAGE=first
        Wed 2021-02-24 07:00:05.149828 UTC [s=3f0c;i=101;b=6f1e;m=4e9484;t=5bc0f95abd084;x=3c6e]
            _SOURCE_MONOTONIC_TIMESTAMP=5149000
            MESSAGE=second
        [    6.000000] plain
        """
        #expect(lines(verbose).map(\.0) == ["[    5.149278] first", "[    5.149000] second", "[    6.000000] plain"])
        #expect(lines(verbose).map(\.1) == [1, 4, 7])
    }

    /// A record with no message field is a line saying so, which the import lists as
    /// skipped: a JSON file of another shape is never read as nothing in silence.
    @Test func aRecordWithoutAMessageIsNotDroppedUnseen() {
        #expect(texts(#"{"level":"info","text":"DMAR: fault"}"#) == ["(a structured log record with no MESSAGE or msg field)"])
    }

    /// dmesg lines (whose `[` is followed by the time) and text pass unchanged; a damaged
    /// JSON text ends at the first line no JSON text can start with, giving the
    /// record it cut.
    @Test func plainLinesPassAndDamagedJSONEnds() {
        #expect(texts("[    5.1] DMAR: x\nkernel: y") == ["[    5.1] DMAR: x", "kernel: y"])
        let damaged = lines("{\"MESSAGE\":\"cut\n[    6.0] after")
        #expect(damaged.map(\.0) == ["cut", "[    6.0] after"])
        #expect(damaged.map(\.1) == [1, 2])
    }
}
