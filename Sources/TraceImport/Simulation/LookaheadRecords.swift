import Journal

/// The records read but not yet run, oldest first (a `RecordWindow`), with an index of
/// the IOVAs the kernel gave the allocations among them. Where the kernel next handed out
/// a range that a flush-queue timer run freed (`FlushTimerPlacement.inferredFlushes`) is
/// then one look-up, not a scan of up to `SimulatedRun.lookahead` records for each run
/// placed; the answers are the scan's.
struct LookaheadRecords {
    struct Entry {
        var record: ImportedOp
        var facts: MachineFacts
        /// Its place in the order read, from 0.
        fileprivate var serial: Int
    }

    private var window: RecordWindow<Entry>
    private var nextSerial = 0
    /// The allocations ahead, by the 4 KiB page of the IOVA the kernel gave them.
    private var handedOut: [UInt64: HandOuts] = [:]

    init(capacity: Int) { window = RecordWindow(capacity: capacity) }

    var isEmpty: Bool { window.isEmpty }
    var isOverfull: Bool { window.isOverfull }

    /// The records ahead, oldest first.
    var pending: some Sequence<ImportedOp> { window.pending.lazy.map(\.record) }

    mutating func append(_ record: ImportedOp, facts: MachineFacts) {
        let entry = Entry(record: record, facts: facts, serial: nextSerial)
        nextSerial += 1
        window.append(entry)
        if let (page, handOut) = Self.handOut(entry) { handedOut[page, default: HandOuts()].append(handOut) }
    }

    /// Takes the oldest record.
    mutating func removeFirst() -> Entry? {
        guard let entry = window.removeFirst() else { return nil }
        forget(entry)
        return entry
    }

    /// Takes the record `offset` places after the oldest (0 is the oldest).
    mutating func remove(pendingAt offset: Int) -> Entry {
        let entry = window.remove(pendingAt: offset)
        forget(entry)
        return entry
    }

    /// The CPU of the first allocation ahead to which the kernel gave an IOVA of
    /// `device` within the granule at `start` (a map's DMA address keeps its offset into
    /// it), if one on a known CPU is ahead.
    func nextOwner(ofGranuleAt start: UInt64, granule: UInt64, device: String) -> Int? {
        let first = start >> Self.pageShift
        let pages = max(granule >> Self.pageShift, 1)
        var owner: HandOut?
        for page in first..<(first &+ pages) {
            guard let found = handedOut[page]?.first(device: device) else { continue }
            if owner.map({ found.serial < $0.serial }) ?? true { owner = found }
        }
        return owner?.cpu
    }

    private mutating func forget(_ entry: Entry) {
        guard let (page, _) = Self.handOut(entry) else { return }
        handedOut[page]?.remove(serial: entry.serial)
        if handedOut[page]?.isEmpty == true { handedOut[page] = nil }
    }

    private static let pageShift: UInt64 = 12

    /// The page and index entry of an allocation the kernel answered with an IOVA on a
    /// known CPU (the records a scan would take as an owner).
    private static func handOut(_ entry: Entry) -> (page: UInt64, HandOut)? {
        let record = entry.record
        guard record.outcome.status == .ok, let address = record.outcome.address, let cpu = record.provenance?.cpu,
              let (device, _) = FlushTimerPlacement.allocation(record) else { return nil }
        return (address >> pageShift, HandOut(serial: entry.serial, cpu: cpu, device: device))
    }
}

/// An allocation ahead: its place in the order read, its CPU and its device.
private struct HandOut {
    var serial: Int
    var cpu: Int
    var device: String
}

/// The allocations ahead that got IOVAs in one page, oldest first. Records leave the
/// window oldest first, so the oldest here goes first: a head index, not an array shift
/// (a page the workload reuses can be handed out thousands of times in the window).
private struct HandOuts {
    private var items: [HandOut] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ handOut: HandOut) { items.append(handOut) }

    /// The oldest ahead for `device`.
    func first(device: String) -> HandOut? {
        items[head...].first { $0.device == device }
    }

    /// Forgets the one read as `serial`: the oldest, unless a call was taken out of order
    /// (`FlushTimerPlacement.callInterrupted`).
    mutating func remove(serial: Int) {
        if head < items.count, items[head].serial == serial {
            head += 1
            if head * 2 >= items.count, head >= 16 {
                items.removeFirst(head)
                head = 0
            }
        } else if let index = items[head...].firstIndex(where: { $0.serial == serial }) {
            items.remove(at: index)
        }
    }
}
