/// Binary search for the first bad prefix, with skips, as `git bisect` does it: between
/// the last prefix known good and the first known bad, test the untested seq nearest the
/// middle; a skipped seq is stepped around. When every seq left in between was skipped,
/// the answer is a range.
struct PrefixSearch {
    /// The longest prefix known good (-1: the empty machine, assumed good).
    private(set) var good: Int
    /// The shortest prefix known bad.
    private(set) var bad: Int
    private(set) var skipped: [Int] = []

    init(good: Int, bad: Int) {
        precondition(good < bad)
        self.good = good; self.bad = bad
    }

    /// The next seq to judge; nil when the search is over.
    func next() -> Int? {
        guard bad - good > 1 else { return nil }
        let middle = good + (bad - good) / 2
        // Walk out from the middle, alternating sides, to the nearest seq not skipped.
        for distance in 0..<(bad - good) {
            for candidate in [middle - distance, middle + distance] where candidate > good && candidate < bad {
                if !skipped.contains(candidate) { return candidate }
            }
        }
        return nil
    }

    mutating func record(_ verdict: PrefixVerdict, at seq: Int) {
        switch verdict {
        case .good: good = max(good, seq)
        case .bad: bad = min(bad, seq)
        case .skip: skipped.append(seq)
        }
    }

    /// Seqs between the last good and the first bad prefix not yet judged.
    var opsLeft: Int { max(bad - good - 1 - skipped.filter { $0 > good && $0 < bad }.count, 0) }

    var verdict: BisectResult.Verdict {
        let between = skipped.filter { $0 > good && $0 < bad }
        return between.isEmpty ? .firstBad(bad) : .inconclusive((good + 1)...bad)
    }
}
