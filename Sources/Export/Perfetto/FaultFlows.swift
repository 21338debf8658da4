import Journal

/// The flow arrows of a trace: from the mapped range that last covered a fault's address
/// (in the same IOVA space, mapped before the fault: `fault_history`) to the fault. One
/// id per range, so a range that several faults hit starts one flow each of them ends.
/// Read before the slices are written, so each range slice knows whether it starts one;
/// memory grows with the faults.
struct FaultFlows {
    private struct RangeKey: Hashable {
        var seq: Int64
        var idx: Int64
    }

    private var idByRange: [RangeKey: UInt64] = [:]
    private var idByFault: [Int64: UInt64] = [:]

    init() {}

    /// The flows of the faults in [firstSeq, lastSeq] whose range the trace shows (still
    /// mapped at `firstSeq` or mapped later).
    init(_ runner: QueryRunner, firstSeq: Int64, lastSeq: Int64) throws(ExportError) {
        let rows = try runner.rows("""
            SELECT f.fault_seq, f.mapped_seq,
                   (SELECT r.idx FROM mapped_ranges r
                     WHERE r.seq = f.mapped_seq AND r.iova <= o.fault_address AND r.iova + r.length > o.fault_address
                     ORDER BY r.idx LIMIT 1)
            FROM fault_history f JOIN ops o ON o.seq = f.fault_seq
            WHERE f.mapped_seq IS NOT NULL AND f.fault_seq BETWEEN \(firstSeq) AND \(lastSeq)
              AND (f.unmapped_seq IS NULL OR f.unmapped_seq > \(firstSeq))
            ORDER BY f.fault_seq
            """)
        while try rows.advance() {
            guard let fault = rows.integer(at: 0), let seq = rows.integer(at: 1), let idx = rows.integer(at: 2) else { continue }
            let key = RangeKey(seq: seq, idx: idx)
            let id = idByRange[key] ?? UInt64(idByRange.count + 1)
            idByRange[key] = id
            idByFault[fault] = id
        }
    }

    /// The flow the range (`seq`, `idx`) of `mapped_ranges` starts, if a fault ends one.
    func flowID(ofRange seq: Int64, idx: Int64) -> UInt64? { idByRange[RangeKey(seq: seq, idx: idx)] }

    /// The flow that ends at the fault of op `seq`, if its address was ever mapped.
    func flowID(ofFault seq: Int64) -> UInt64? { idByFault[seq] }
}
