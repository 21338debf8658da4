import DMASim
import Foundation

/// Mutates op scripts at the text level, as a hand or a bad generator would: numbers
/// replaced by edge values, lines dropped, repeated, swapped or borrowed from another
/// script, handles and keywords exchanged, stray bytes inserted, lines cut short.
struct ScriptMutator {
    private var random: SeededGenerator
    let corpus: [String]

    init(seed: UInt64, corpus: [String]) {
        random = SeededGenerator(seed: seed)
        self.corpus = corpus
    }

    /// Edge values in every spelling the format has, and some it does not.
    static let numbers = [
        "0", "1", "7", "63", "64", "4095", "4096", "4097", "0x1000", "0xfff", "4K", "8K", "64K", "2M", "1G", "1T", "16T",
        "0xffffffff", "0x100000000", "0x100000000000", "0x1000000000000", "0x7fffffffffffffff", "0x8000000000000000",
        "0xfffffffffffff000", "0xffffffffffffffff", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
        "-1", "0x", "1Q", "0x1g", "", "4K4K", "1e9",
    ]
    static let words = [
        "to-device", "from-device", "bidirectional", "none", "strict", "lazy", "passthrough", "shared", "ram", "mmio",
        "coherent", "untrusted", "seed:3", "byte:0xff", "zero", "hex:DEADBEEF", "hex:zz", "s1", "s2", "m1", "nvme0", "mmu0",
        "shm0", "ok", "fault", "=>", "=", "#", "+", "…", "é", "\u{0}", "\t", "\u{7F}", "\u{1B}[31m",
    ]

    mutating func mutant(of script: String) -> String {
        var lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&lines) }
        return lines.joined(separator: "\n")
    }

    private mutating func mutate(_ lines: inout [String]) {
        guard !lines.isEmpty else { lines = [pick(corpus)]; return }
        let index = Int.random(in: 0..<lines.count, using: &random)
        switch Int.random(in: 0..<9, using: &random) {
        case 0, 1: lines[index] = replacingToken(in: lines[index], matching: Self.numberPattern, with: pick(Self.numbers))
        case 2: lines[index] = replacingToken(in: lines[index], matching: Self.wordPattern, with: pick(Self.words))
        case 3: lines.remove(at: index)
        case 4: lines.insert(lines[index], at: Int.random(in: 0...lines.count, using: &random))
        case 5: lines.swapAt(index, Int.random(in: 0..<lines.count, using: &random))
        case 6:
            let donor = pick(corpus).split(separator: "\n").map(String.init)
            if let line = donor.randomElement(using: &random) { lines.insert(line, at: index) }
        case 7: lines[index] = String(lines[index].prefix(Int.random(in: 0...lines[index].count, using: &random)))
        default:
            var characters = Array(lines[index])
            characters.insert(contentsOf: pick(Self.words), at: Int.random(in: 0...characters.count, using: &random))
            lines[index] = String(characters)
        }
    }

    static let numberPattern = try! NSRegularExpression(pattern: "(0x[0-9a-fA-F]+|[0-9]+[KMGT]?)")
    static let wordPattern = try! NSRegularExpression(pattern: "[A-Za-z][A-Za-z0-9_:.-]*")

    /// `line` with one token matching `pattern`, chosen at random, replaced by `replacement`.
    private mutating func replacingToken(in line: String, matching pattern: NSRegularExpression, with replacement: String) -> String {
        let matches = pattern.matches(in: line, range: NSRange(line.startIndex..., in: line))
        guard !matches.isEmpty, let range = Range(matches[Int.random(in: 0..<matches.count, using: &random)].range, in: line) else { return line }
        return line.replacingCharacters(in: range, with: replacement)
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
}
