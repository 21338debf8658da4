/// Who may touch which physical bytes now (dma-api.rst, "Part Id"): after map, link or
/// `sync_for_device` the device owns a buffer; after `sync_for_cpu` (streaming only),
/// unmap or unlink the CPU does. The kernel does not track this; the checker does, to
/// report a CPU access to a buffer the device owns.
///
/// Entries of up to `indexedPageLimit` pages are indexed by 4 KiB physical page; larger
/// ones (a 1 GiB block link, a 16 TiB mapping) sit in a list searched whole, so the cost
/// grows with live mappings, never with their bytes or the region size. An entry leaves
/// when its mapping does.
struct OwnershipMap {
    struct Entry: Hashable {
        var owner: IOVAOwner
        /// The buffer as the driver passed it: `[first, end)` physical.
        var first: UInt64
        var end: UInt64
        var direction: DMADirection
        /// A two-step head or tail bounced through swiotlb: the device works on a copy
        /// the CPU sees only after unlink.
        var bounced: Bool
        /// The IOVA of byte `first`, for a two-step piece (the buffer is linear in IOVA,
        /// bounced granules included), so unlink can hand back what it unmapped.
        var iovaFirst: UInt64 = 0
        /// Parts handed back to the CPU by `sync_for_cpu`.
        var cpuOwned = ByteRangeSet()
    }

    static let pageShift: UInt64 = 12
    /// The most pages an entry is indexed by; above, it goes in `largeIDs`.
    static let indexedPageLimit: UInt64 = 64
    private(set) var entries: [Entry?] = []
    private(set) var freeIDs: [Int] = []
    private var idsOfPage: [UInt64: [Int]] = [:]
    /// Entries too large to index by page, ascending.
    private var largeIDs: [Int] = []

    init() {}

    var isEmpty: Bool { idsOfPage.isEmpty && largeIDs.isEmpty }

    // Invariant: callers pass ids this map handed out (`overlapping`) and has not removed.
    subscript(id: Int) -> Entry {
        get { entries[id]! }
        set { entries[id] = newValue }
    }

    /// Adds an entry; returns its id.
    mutating func add(_ entry: Entry) -> Int {
        let id = freeIDs.popLast() ?? entries.count
        if id == entries.count { entries.append(entry) } else { entries[id] = entry }
        if Self.isLarge(entry) {
            largeIDs.insert(id, at: largeIDs.firstIndex { $0 > id } ?? largeIDs.count)
        } else {
            forEachPage(entry.first, entry.end) { idsOfPage[$0, default: []].append(id) }
        }
        return id
    }

    mutating func remove(_ id: Int) {
        guard let entry = entries[id] else { return }
        if Self.isLarge(entry) {
            largeIDs.removeAll { $0 == id }
        } else {
            forEachPage(entry.first, entry.end) { page in
                idsOfPage[page]?.removeAll { $0 == id }
                if idsOfPage[page]?.isEmpty == true { idsOfPage[page] = nil }
            }
        }
        entries[id] = nil
        freeIDs.append(id)
    }

    /// Removes `[cut)` from entry `id`; returns the ids of what is left (none, one part
    /// or two).
    mutating func cut(_ id: Int, _ cut: Range<UInt64>) -> [Int] {
        let entry = self[id]
        remove(id)
        var parts: [Int] = []
        if entry.first < cut.lowerBound {
            var left = entry
            left.end = min(entry.end, cut.lowerBound)
            parts.append(add(left))
        }
        if cut.upperBound < entry.end {
            var right = entry
            right.first = max(entry.first, cut.upperBound)
            right.iovaFirst = entry.iovaFirst &+ (right.first - entry.first)
            parts.append(add(right))
        }
        return parts
    }

    /// Ids of the entries overlapping `[first, end)`, ascending.
    func overlapping(_ first: UInt64, _ end: UInt64) -> [Int] {
        guard !isEmpty, end > first else { return [] }
        var found: Set<Int> = []
        // Invariant: `insert` and `remove` keep largeIDs and idsOfPage to the ids in `entries`.
        for id in largeIDs where entries[id]!.first < end && first < entries[id]!.end { found.insert(id) }
        guard !idsOfPage.isEmpty else { return found.sorted() }
        let firstPage = first >> Self.pageShift, lastPage = (end - 1) >> Self.pageShift
        if lastPage - firstPage < UInt64(idsOfPage.count) {
            for page in firstPage...lastPage { collect(page, first, end, into: &found) }
        } else {
            // A huge access: the indexed pages it covers, not every page it spans.
            for page in idsOfPage.keys where page >= firstPage && page <= lastPage { collect(page, first, end, into: &found) }
        }
        return found.sorted()
    }

    private func collect(_ page: UInt64, _ first: UInt64, _ end: UInt64, into found: inout Set<Int>) {
        // Invariant: as above, idsOfPage lists only ids in `entries`.
        for id in idsOfPage[page] ?? [] where entries[id]!.first < end && first < entries[id]!.end { found.insert(id) }
    }

    private static func isLarge(_ entry: Entry) -> Bool {
        entry.end > entry.first && (entry.end - 1) >> pageShift - entry.first >> pageShift >= indexedPageLimit
    }

    private func forEachPage(_ first: UInt64, _ end: UInt64, _ body: (UInt64) -> Void) {
        guard end > first else { return }
        for page in (first >> Self.pageShift)...((end - 1) >> Self.pageShift) { body(page) }
    }
}
