import DMASim

/// The running totals behind the `per_device` view (schema/006), per device id, kept as
/// ops are recorded and written with each batch, so the view never scans the ops.
final class DeviceTally {
    struct Totals {
        var ops: Int64 = 0, allocs: Int64 = 0, links: Int64 = 0, bytesMapped: Int64 = 0
        var accesses: Int64 = 0, bytesAccessed: Int64 = 0, faults: Int64 = 0, failedCalls: Int64 = 0, findings: Int64 = 0
    }

    // @exclusivity(unchecked) on the per-op state: see NameInterner.
    /// The totals of each device counted so far, in order of first count.
    @exclusivity(unchecked) private var totals: [Totals] = []
    /// The device id of each entry of `totals`.
    @exclusivity(unchecked) private var deviceOfSlot: [Int64] = []
    /// Indexed by device id: the device's index in `totals`, or -1. Device ids are name
    /// ids, dense from 1, so this array costs 4 bytes per name; a `[Int64: Totals]` lookup
    /// cost ~750 instructions per op (SipHash) where this costs a few.
    @exclusivity(unchecked) private var slotOfDevice: [Int32] = []
    /// Slots whose totals changed since the last `store`.
    @exclusivity(unchecked) private var changedSlots: [Int] = []
    @exclusivity(unchecked) private var isChanged: [Bool] = []
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
        let slot = self.slot(of: device)
        if !isChanged[slot] {
            isChanged[slot] = true
            changedSlots.append(slot)
        }
        totals[slot].add(kind, length: length, outcome: outcome)
    }

    /// The index of `device` in `totals`, making it on first use.
    private func slot(of device: Int64) -> Int {
        let index = Int(device)
        if index >= slotOfDevice.count { slotOfDevice.append(contentsOf: repeatElement(-1, count: index + 1 - slotOfDevice.count)) }
        if slotOfDevice[index] >= 0 { return Int(slotOfDevice[index]) }
        slotOfDevice[index] = Int32(totals.count)
        totals.append(Totals())
        deviceOfSlot.append(device)
        isChanged.append(false)
        return totals.count - 1
    }

    /// Writes the changed totals, inside the caller's batch transaction, in device order.
    func store() throws(JournalError) {
        for slot in changedSlots.sorted(by: { deviceOfSlot[$0] < deviceOfSlot[$1] }) {
            let entry = totals[slot]
            let values = [deviceOfSlot[slot], entry.ops, entry.allocs, entry.links, entry.bytesMapped, entry.accesses,
                          entry.bytesAccessed, entry.faults, entry.failedCalls, entry.findings]
            for (index, value) in values.enumerated() { upsert.bind(value, at: Int32(index + 1)) }
            try upsert.execute()
            isChanged[slot] = false
        }
        changedSlots.removeAll(keepingCapacity: true)
    }
}

extension DeviceTally.Totals {
    /// Counts one op of `kind` with `outcome`.
    mutating func add(_ kind: OpKind, length: UInt64?, outcome: Outcome) {
        ops += 1
        switch kind {
        case .alloc, .map: allocs += 1
        case .link: links += 1
        case .deviceRead, .deviceWrite:
            accesses += 1
            if outcome.status == .ok { bytesAccessed &+= Int64(bitPattern: length ?? 0) }
        default: break
        }
        for range in outcome.ranges { bytesMapped &+= Int64(bitPattern: range.length) }
        if outcome.fault != nil { faults += 1 }
        switch outcome.status {
        case .errno, .fallback, .mappingError: failedCalls += 1
        default: break
        }
        findings += Int64(outcome.findings.count)
    }
}
