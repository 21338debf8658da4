import DMASim

/// The running totals behind the `per_device` view (schema/006), per device id, kept as
/// ops are recorded and written with each batch, so the view never scans the ops.
final class DeviceTally {
    struct Totals {
        var ops: Int64 = 0, allocs: Int64 = 0, links: Int64 = 0, bytesMapped: Int64 = 0
        var accesses: Int64 = 0, bytesAccessed: Int64 = 0, faults: Int64 = 0, failedCalls: Int64 = 0, findings: Int64 = 0
    }

    private var totals: [Int64: Totals] = [:]
    /// Devices whose totals changed since the last `store`.
    private var changed: Set<Int64> = []
    private let upsert: Statement

    init(_ database: Database) throws(JournalError) {
        upsert = try database.prepare("""
            INSERT OR REPLACE INTO device_totals
                (device, ops, allocs, links, bytes_mapped, accesses, bytes_accessed, faults, failed_calls, findings)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Counts one op against `device` (the id the ops row got).
    func count(_ kind: OpKind, length: UInt64?, outcome: Outcome, device: Int64?) {
        guard let device else { return }
        var entry = totals[device] ?? Totals()
        entry.ops += 1
        switch kind {
        case .alloc, .map: entry.allocs += 1
        case .link: entry.links += 1
        case .deviceRead, .deviceWrite:
            entry.accesses += 1
            if outcome.status == .ok { entry.bytesAccessed &+= Int64(bitPattern: length ?? 0) }
        default: break
        }
        for range in outcome.ranges { entry.bytesMapped &+= Int64(bitPattern: range.length) }
        if outcome.fault != nil { entry.faults += 1 }
        switch outcome.status {
        case .errno, .fallback, .mappingError: entry.failedCalls += 1
        default: break
        }
        entry.findings += Int64(outcome.findings.count)
        totals[device] = entry
        changed.insert(device)
    }

    /// Writes the changed totals, inside the caller's batch transaction.
    func store() throws(JournalError) {
        for device in changed.sorted() {
            let entry = totals[device]!
            let values = [device, entry.ops, entry.allocs, entry.links, entry.bytesMapped, entry.accesses,
                          entry.bytesAccessed, entry.faults, entry.failedCalls, entry.findings]
            for (index, value) in values.enumerated() { upsert.bind(value, at: Int32(index + 1)) }
            try upsert.execute()
        }
        changed.removeAll(keepingCapacity: true)
    }
}
