import DMASim
import Journal
import OpScript

/// The story around the first bad op, for a human: the op and its outcomes, the life so
/// far of the IOVA state or mapping it used, and the mapped ranges that covered the
/// device address it touched. Read from the journal with indexed queries, so it costs
/// milliseconds on a long journal.
public struct BisectContext {
    /// Ops on the same handle shown before the bad one.
    public static let historyLimit = 12

    private let reader: JournalReader
    private let runner: QueryRunner

    public init(reader: JournalReader) throws(JournalError) {
        self.reader = reader
        runner = try QueryRunner(path: reader.path)
    }

    /// Lines describing op `seq`; `replayed` is its outcome on replay, when it differs.
    public func describe(seq: Int, replayed: Outcome?) throws(JournalError) -> [String] {
        guard let recorded = try reader.makeCursor(fromSequence: seq).next(), recorded.seq == seq else {
            return ["seq \(seq) is not in \(reader.path)"]
        }
        let describer = OutcomeDescriber()
        var lines = ["  \(ScriptPrinter().line(recorded.op))"]
        lines.append("    recorded: \(describer.describe(recorded.outcome.outcome))")
        if let replayed, RecordedOutcome(replayed) != recorded.outcome {
            lines.append("    replayed: \(describer.describe(replayed))")
        }
        lines += try history(of: seq)
        lines += try coveringRanges(of: seq)
        lines += try earlierFrees(of: seq)
        return lines
    }

    /// Who freed the bad op's IOVA before: the `iova-free` events (from
    /// `free_iova_fast` via destroy, free, unmap or a flush-queue drain) that covered the
    /// address of the op's state or mapping, latest first. When a double free let the
    /// allocator hand one IOVA to two owners, the finding shows on the victim, and this
    /// names the free that caused it: the same handle's IOVA freed twice. Events carry no
    /// address index, so the walk back is bounded to the last 100,000 ops.
    private func earlierFrees(of seq: Int) throws(JournalError) -> [String] {
        let result = try runner.run("""
            WITH target(iova) AS (
                SELECT s.out_address FROM ops o JOIN ops s ON s.handle = o.handle AND s.seq <= o.seq
                  JOIN op_kind k ON k.code = s.kind AND k.name IN ('alloc', 'map')
                 WHERE o.seq = :seq AND s.out_address IS NOT NULL ORDER BY s.seq DESC LIMIT 1)
            SELECT e.seq, e.op, e.handle, printf('0x%x', e.address), e.length
              FROM target t JOIN event_log e
                ON e.event = 'iova-free' AND e.address <= t.iova AND e.address + e.length > t.iova
             WHERE e.seq < :seq AND e.seq >= :seq - 100000
             ORDER BY e.seq DESC LIMIT 4
            """, parameters: ["seq": .integer(Int64(seq))])
        guard !result.rows.isEmpty else { return [] }
        return ["  earlier frees of its IOVA (latest first):"] + result.rows.map { row in
            "    seq \(row[0].plainText ?? "?")  \(row[1].plainText ?? "?") \(row[2].plainText ?? "-")  iova \(row[3].plainText ?? "?") +\(row[4].plainText ?? "?")"
        }
    }

    /// The seqs of the last ops on the bad op's state or mapping, oldest first: the
    /// handle the op names, or else the one its first finding names (a leak reported at
    /// `detach`). A misuse that shows late (a missing sync, a wrong direction, a leak) was
    /// committed in this history.
    public func handleHistory(of seq: Int) throws(JournalError) -> [Int] {
        try historyRows(of: seq).rows.compactMap { row in row[0].plainText.flatMap { Int($0) } }
    }

    private func historyRows(of seq: Int) throws(JournalError) -> QueryResult {
        try runner.run("""
            WITH target(handle) AS (
                SELECT coalesce((SELECT handle FROM ops WHERE seq = :seq),
                                (SELECT n.id FROM findings f JOIN names n ON n.name = f.handle AND n.kind IN ('state', 'mapping')
                                  WHERE f.seq = :seq ORDER BY f.idx LIMIT 1)))
            SELECT l.seq, l.kind, l.handle, l.status, l.errno,
                   CASE WHEN l.out_address IS NOT NULL THEN printf('0x%x', l.out_address) END, l.fault_kind
              FROM (SELECT o.seq FROM ops o, target t
                     WHERE o.handle = t.handle AND o.seq <= :seq
                     ORDER BY o.seq DESC LIMIT :limit) h
              JOIN op_log l ON l.seq = h.seq
             ORDER BY l.seq
            """, parameters: ["seq": .integer(Int64(seq)), "limit": .integer(Int64(Self.historyLimit))])
    }

    /// The last ops on the bad op's state or mapping, as lines.
    private func history(of seq: Int) throws(JournalError) -> [String] {
        let result = try historyRows(of: seq)
        guard let handle = result.rows.first?[2].plainText else { return [] }
        return ["  life of \(handle) so far (last \(Self.historyLimit) ops):"] + result.rows.map { row in
            let outcome = [row[3].plainText, row[4].plainText, row[5].plainText.map { "at \($0)" }, row[6].plainText].compactMap { $0 }
            return "    seq \(row[0].plainText ?? "?")  \(row[1].plainText ?? "?")  \(outcome.joined(separator: " "))"
        }
    }

    /// For a device access at an absolute address: the latest ranges that covered it.
    private func coveringRanges(of seq: Int) throws(JournalError) -> [String] {
        let result = try runner.run("""
            SELECT s.mapped_seq, s.mapped_by, s.handle, printf('0x%x', s.iova), s.length, s.unmapped_seq
              FROM ops o JOIN mapping_spans s
                ON s.iova BETWEEN o.address - (SELECT max_range_bytes FROM run) + 1 AND o.address
               AND s.iova_end > o.address AND s.mapped_seq <= o.seq
             WHERE o.seq = :seq AND o.address IS NOT NULL
             ORDER BY s.mapped_seq DESC LIMIT 4
            """, parameters: ["seq": .integer(Int64(seq))])
        guard !result.rows.isEmpty else { return [] }
        return ["  mapped ranges that covered its address (latest first):"] + result.rows.map { row in
            let unmapped = row[5].plainText.map { "unmapped at seq \($0)" } ?? "still mapped"
            return "    seq \(row[0].plainText ?? "?")  \(row[1].plainText ?? "?") \(row[2].plainText ?? "-")  iova \(row[3].plainText ?? "?") +\(row[4].plainText ?? "?")  \(unmapped)"
        }
    }
}
