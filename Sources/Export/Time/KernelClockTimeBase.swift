import Journal

/// The kernel's clock as the engine keeps it (`Engine+Time`): an op with a time runs at
/// that time; an op without one runs at the clock the ops before it left, which only an
/// op's time and `advance` move (an `advance` moves it after its own call). A journal
/// imported from a trace carries every event's timestamp (`ops.time_ns`, or for a journal
/// imported before ops had times, `imported_ops.timestamp_ns`).
///
/// Built in one pass over the ops that move the clock; it keeps one entry per such op
/// (24 bytes), so its memory grows with the timed ops, not with the others.
public struct KernelClockTimeBase: TimeBase {
    /// Ops that move the clock, in seq order: the clock when each ran and after it.
    private let seqs: [Int64]
    private let clockAt: [Int64]
    private let clockAfter: [Int64]

    /// A mapping still mapped at the end runs this far past the last op: ftrace's
    /// resolution, so it stays visible.
    public static let tailNanoseconds: Int64 = 1000

    /// One entry per op that moves the clock: (seq, its time if it carries one, the
    /// nanoseconds it advances the clock by after its call).
    init(clockOps: [(seq: Int64, time: Int64?, advance: Int64)]) {
        var seqs: [Int64] = [], at: [Int64] = [], after: [Int64] = []
        var clock: Int64 = 0
        for op in clockOps {
            // Time never goes backwards: the engine rejects such an op, and a trace merged
            // from several CPUs may have small inversions.
            clock = max(clock, op.time ?? clock)
            seqs.append(op.seq)
            at.append(clock)
            let (moved, overflow) = clock.addingReportingOverflow(max(op.advance, 0))
            clock = overflow ? .max : moved
            after.append(clock)
        }
        self.seqs = seqs
        clockAt = at
        clockAfter = after
    }

    public var label: String { "kernel time: ts = the op's time since boot (ops.time_ns; ops without one at the clock before them)" }
    public var displayTimeUnit: String { "ms" }
    public var isKernelClock: Bool { true }

    public func nanoseconds(atSeq seq: Int64) -> Int64 {
        guard let index = lastIndex(atOrBefore: seq) else { return 0 }
        return seqs[index] == seq ? clockAt[index] : clockAfter[index]
    }

    public func nanoseconds(after lastSeq: Int64) -> Int64 {
        let end = lastIndex(atOrBefore: lastSeq).map { clockAfter[$0] } ?? 0
        return end > Int64.max - Self.tailNanoseconds ? .max : end + Self.tailNanoseconds
    }

    /// The last clock op at or before `seq` (binary search).
    private func lastIndex(atOrBefore seq: Int64) -> Int? {
        var low = 0, high = seqs.count
        while low < high {
            let middle = (low + high) / 2
            if seqs[middle] <= seq { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}

extension KernelClockTimeBase {
    /// The ops of `runner`'s journal that move the clock, or nil when none does (a
    /// recorded workload, a script without `time=` or `advance`).
    static func loading(_ runner: QueryRunner) throws(ExportError) -> KernelClockTimeBase? {
        // Pragma functions are not allowed on a read-only query connection; the schema's
        // text names every column (ALTER TABLE ADD COLUMN rewrites it).
        let hasTime = try runner.integerValue("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ops' AND sql LIKE '%time_ns%'") == 1
        let hasImports = try runner.integerValue("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'imported_ops'") == 1
        guard hasTime || hasImports else { return nil }
        let time = hasTime && hasImports ? "coalesce(o.time_ns, i.timestamp_ns)" : hasTime ? "o.time_ns" : "i.timestamp_ns"
        let join = hasImports ? "LEFT JOIN imported_ops i ON i.seq = o.seq" : ""
        // A rejected op did not run: its time did not move the clock.
        let rows = try runner.rows("""
            SELECT o.seq, \(time), CASE WHEN k.name = 'advance' THEN o.length ELSE 0 END
            FROM ops o JOIN op_kind k ON k.code = o.kind \(join)
            WHERE (\(time) IS NOT NULL OR k.name = 'advance')
              AND o.status <> (SELECT code FROM status_kind WHERE name = 'rejected')
            ORDER BY o.seq
            """)
        var clockOps: [(seq: Int64, time: Int64?, advance: Int64)] = []
        while try rows.advance() {
            // A time past 2^63 ns (292 years) reads back negative: clamp, never trap.
            let time = rows.unsigned(at: 1).map { Int64(clamping: $0) }
            clockOps.append((rows.integer(at: 0) ?? 0, time, rows.integer(at: 2) ?? 0))
        }
        return clockOps.isEmpty ? nil : KernelClockTimeBase(clockOps: clockOps)
    }
}
