/// Interleaves the events of several files. When every file's first event carries a
/// time since boot (ftrace's clock and dmesg's `[seconds]` both count from boot by
/// default), events are merged by that time, so a fault in a dmesg file lands between the
/// map and unmap of an ftrace file where it happened. Otherwise the files follow one
/// another in the order given. Within a file, events keep file order: an event without a
/// time (or with an earlier one) keeps the time of the event before it.
struct SourceMerger {
    private let sources: [TraceSource]
    private var heads: [ParsedEvent?]
    private var clocks: [UInt64]
    private let byTime: Bool

    /// Whether events are interleaved by time (else file by file).
    var mergesByTime: Bool { byTime }

    init(_ sources: [TraceSource]) {
        self.sources = sources
        heads = sources.map { $0.next() }
        clocks = Array(repeating: 0, count: sources.count)
        let firsts = heads.compactMap { $0 }
        byTime = firsts.count > 1 && firsts.allSatisfy { $0.provenance.timestampNanoseconds != nil }
    }

    /// The next event and the index of its file.
    mutating func next() -> (event: ParsedEvent, source: Int)? {
        guard let index = nextSource(), let event = heads[index] else { return nil }
        clocks[index] = key(event, index)
        heads[index] = sources[index].next()
        return (event, index)
    }

    private func nextSource() -> Int? {
        guard byTime else { return heads.firstIndex { $0 != nil } }
        var best: (index: Int, key: UInt64)?
        for (index, head) in heads.enumerated() {
            guard let head else { continue }
            let candidate = key(head, index)
            if best == nil || candidate < best!.key { best = (index, candidate) }
        }
        return best?.index
    }

    private func key(_ event: ParsedEvent, _ index: Int) -> UInt64 {
        max(clocks[index], event.provenance.timestampNanoseconds ?? clocks[index])
    }
}
