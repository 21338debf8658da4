import Foundation
import Testing
@testable import TraceImport

/// A bounded, deterministic fuzzer of the import parsers: inputs mutated from every line
/// of the corpus (fixtures/logs, fixtures/traces, the reliability reproducer), run
/// through the whole pipeline — mail unwrapping, prefixes, the parsers, the cut-message
/// joiner — and the journaler (in memory). A trap fails the run; so does an event whose
/// lines lie outside its input. The seed is fixed, so a failure reproduces: the failing
/// input's number is recorded with it. CI runs 4,000 inputs (about 3 s of CPU in a debug
/// build); `DMAJOURNAL_FUZZ_INPUTS` and `DMAJOURNAL_FUZZ_SEED` run more, or others.
@Suite struct ImportFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed: UInt64 = environment["DMAJOURNAL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x2024_dead_beef
    static let inputCount = environment["DMAJOURNAL_FUZZ_INPUTS"].flatMap { Int($0) } ?? 4_000

    /// SplitMix64 (deterministic; no system randomness in the test).
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
    }

    /// Lines of raw bytes (a fuzzed line need not be UTF-8).
    final class ByteLines: LineProvider {
        private let lines: [[UInt8]]
        private(set) var lineNumber = 0
        init(_ lines: [[UInt8]]) { self.lines = lines }
        func next() -> [UInt8]? {
            guard lineNumber < lines.count else { return nil }
            lineNumber += 1
            return lines[lineNumber - 1]
        }
    }

    static let extremes: [[UInt8]] = ["18446744073709551615", "18446744073709551616", "99999999999999999999999999", "0xffffffffffffffff",
                                      "0x10000000000000000", "-1", "2147483648", "9223372036854775808", "0", "0x", "ffffffffffffffffff",
                                      "4294967295.999999999", "18446744073.709551616"].map { Array($0.utf8) }
    static let noise: [UInt8] = Array("[]=:,. \t()<>x0fF9-+#@;\"'".utf8) + [0x1b, 0x0d, 0x00, 0xff, 0xc3, 0x7f, 0x9b]

    /// Every line of the corpus, by file.
    static func corpus() throws -> [[[UInt8]]] {
        let root = ImportFixture.packageRoot.appendingPathComponent("fixtures")
        var files: [[[UInt8]]] = []
        for folder in ["logs", "logs/formats", "traces", "traces/constructed"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".txt") {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                files.append(data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init))
            }
        }
        files.append([Array("[  215.351635] WARNING: CPU: 33 PID: 0xfffffffffffff000 at kernel/dma/debug.c:988 check_unmap+4294967296/18446744073709551615".utf8)])
        return files
    }

    static func mutate(_ line: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = line
        for _ in 0...random.below(4) {
            switch random.below(7) {
            case 0:   // a number replaced by an extreme one
                let digits = bytes.indices.filter { bytes[$0].isDigit }
                guard let at = digits.isEmpty ? nil : digits[random.below(digits.count)] else { continue }
                var end = at
                while end < bytes.count, bytes[end].isDigit || bytes[end].hexDigitValue != nil || bytes[end] == UInt8(ascii: "x") { end += 1 }
                bytes.replaceSubrange(at..<end, with: extremes[random.below(extremes.count)])
            case 1:   // noise inserted
                let at = random.below(bytes.count + 1)
                bytes.insert(contentsOf: (0...random.below(3)).map { _ in noise[random.below(noise.count)] }, at: at)
            case 2:   // a range deleted
                guard !bytes.isEmpty else { continue }
                let start = random.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(12)))
            case 3:   // cut short
                bytes = Array(bytes.prefix(random.below(bytes.count + 1)))
            case 4:   // a slice repeated
                guard !bytes.isEmpty else { continue }
                let start = random.below(bytes.count)
                let slice = bytes[start..<min(bytes.count, start + 1 + random.below(24))]
                bytes.insert(contentsOf: slice, at: random.below(bytes.count + 1))
            case 5:   // a byte flipped
                guard !bytes.isEmpty else { continue }
                bytes[random.below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
            default:  // a very long run
                bytes.insert(contentsOf: repeatElement(noise[random.below(noise.count)], count: 200 + random.below(2000)), at: random.below(bytes.count + 1))
            }
        }
        return bytes
    }

    /// A window of consecutive corpus lines, some mutated, sometimes with a line of
    /// another file spliced in.
    static func input(_ corpus: [[[UInt8]]], _ random: inout SplitMix64) -> [[UInt8]] {
        let file = corpus[random.below(corpus.count)]
        let start = random.below(file.count)
        var lines = Array(file[start..<min(file.count, start + 1 + random.below(8))])
        for index in lines.indices where random.below(3) == 0 { lines[index] = mutate(lines[index], &random) }
        if random.below(4) == 0 {
            let other = corpus[random.below(corpus.count)]
            lines.insert(mutate(other[random.below(other.count)], &random), at: random.below(lines.count + 1))
        }
        return lines
    }

    @Test func theParsersSurviveMutatedCorpusLines() throws {
        let corpus = try Self.corpus()
        var random = SplitMix64(state: Self.seed)
        var events = 0
        let started = Date()
        for number in 0..<Self.inputCount {
            let lines = Self.input(corpus, &random)
            let source = TraceSource(path: "fuzz-\(number)", lines: ByteLines(lines), devices: DeviceDirectory())
            let journaler = EventJournaler()
            let assembler = CallAssembler()
            while let event = source.next() {
                events += 1
                let provenance = event.provenance
                #expect(provenance.line >= 1 && provenance.lineCount >= 1 && provenance.line + provenance.lineCount - 1 <= lines.count,
                        "input \(number): lines \(provenance.line)+\(provenance.lineCount) of \(lines.count)")
                assembler.feed(event, source: 0)
                while let (call, _) = assembler.next() { _ = journaler.journal(call, sourceID: 1) }
            }
            assembler.finish()
            while let (call, _) = assembler.next() { _ = journaler.journal(call, sourceID: 1) }
        }
        // Most inputs still hold events: the mutations keep the corpus's shape.
        #expect(events > Self.inputCount / 2)
        if Self.environment["DMAJOURNAL_FUZZ_INPUTS"] == nil { #expect(Date().timeIntervalSince(started) < 60) }
    }
}
