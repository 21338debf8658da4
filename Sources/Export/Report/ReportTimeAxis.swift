/// The x axis of the report's occupancy charts: op order (seq 0 to the last op), or, when
/// the journal's ops carry the kernel's clock, that clock from the first op drawn to the
/// last op. Positions are fractions of the axis, 0 at the left edge and 1 at the right.
struct ReportTimeAxis {
    let timeBase: any TimeBase
    /// The left and right edges, in the time base's nanoseconds (for op order: seqs).
    let start: Int64
    let end: Int64

    /// `firstDrawnSeq`: the first op the charts draw (a mapping, a fault, a finding);
    /// kernel time starts there (seq 0 is often a topology line at clock 0).
    init(timeBase: any TimeBase, lastSeq: Int64, firstDrawnSeq: Int64?) {
        self.timeBase = timeBase
        let last = min(max(lastSeq, -1), Int64.max - 1)
        if timeBase.isKernelClock {
            start = timeBase.nanoseconds(atSeq: firstDrawnSeq ?? 0)
            end = max(timeBase.nanoseconds(after: last), start + 1)
        } else {
            start = 0
            end = max(last + 1, 1)
        }
    }

    var isKernelClock: Bool { timeBase.isKernelClock }

    /// Where op `seq` ran, as a fraction of the axis (clamped to it).
    func fraction(ofSeq seq: Int64) -> Double {
        fraction(ofTime: isKernelClock ? timeBase.nanoseconds(atSeq: seq) : seq)
    }

    /// The middle of op `seq`'s place: in op order an op is one unit wide.
    func markFraction(ofSeq seq: Int64) -> Double {
        isKernelClock ? fraction(ofSeq: seq) : fraction(ofTime: seq) + 0.5 / Double(end - start)
    }

    /// The axis's right edge: where a range still mapped at the end ends.
    var endFraction: Double { 1 }

    private func fraction(ofTime time: Int64) -> Double {
        let width = Double(end) - Double(start)
        return min(max((Double(time) - Double(start)) / width, 0), 1)
    }

    /// The time (or seq) `fraction` of the way along, computed in integers at the ends:
    /// a Double near 2^63 does not convert back.
    func value(at fraction: Double) -> Int64 {
        guard fraction > 0 else { return start }
        guard fraction < 1 else { return end }
        return start + Int64(min((Double(end) - Double(start)) * fraction, Double(Int64.max / 2)))
    }

    /// A tick's label: the seq, or the kernel time in seconds since boot to the µs.
    func label(at fraction: Double) -> String {
        let value = value(at: fraction)
        return isKernelClock ? TimeText.seconds(value / 1000 * 1000) : String(value)
    }

    /// What the axis shows, under it.
    var title: String { isKernelClock ? "kernel time, seconds since boot" : "seq (op order)" }

    /// An op for people: `seq 12`, with its kernel time when there is one.
    func describe(seq: Int64) -> String {
        isKernelClock ? "seq \(seq) at \(TimeText.seconds(timeBase.nanoseconds(atSeq: seq))) s" : "seq \(seq)"
    }
}
