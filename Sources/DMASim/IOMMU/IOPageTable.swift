/// The domain's I/O page table: one leaf PTE per granule, stored the way hardware tables
/// are — in leaves of 64 entries found through a directory — so that bookkeeping grows
/// with live mappings, and an empty leaf is recycled as soon as its last entry goes.
struct IOPageTable {
    static let leafShift: UInt64 = 6
    static let leafEntries = 1 << 6

    private(set) var leafSlot: [UInt64: Int32] = [:]
    private(set) var entries: [UInt64] = []
    private var liveInLeaf: [UInt16] = []
    private var freeSlots: [Int32] = []
    private(set) var presentCount = 0
    /// The last leaf looked up: calls touch one leaf over and over (a link, its sync, its
    /// unlink), so this saves most directory hashing.
    private var recentLeaf: UInt64 = .max
    private var recentSlot: Int32 = -1

    init() {}

    /// The PTE for granule index `granule` (`iova >> shift`).
    func entry(_ granule: UInt64) -> PageTableEntry {
        guard let slot = slot(ofLeaf: granule >> Self.leafShift) else { return .absent }
        return PageTableEntry(raw: entries[Self.index(slot, granule)])
    }

    private func slot(ofLeaf leaf: UInt64) -> Int32? {
        if leaf == recentLeaf { return recentSlot }
        return leafSlot[leaf]
    }

    private mutating func remember(_ leaf: UInt64, _ slot: Int32) {
        recentLeaf = leaf
        recentSlot = slot
    }

    /// Installs a PTE where none is present.
    mutating func install(_ granule: UInt64, _ pte: PageTableEntry) {
        let slot = slotCreatingLeaf(granule >> Self.leafShift)
        let index = Self.index(slot, granule)
        precondition(entries[index] == 0, "install over a present PTE")
        entries[index] = pte.raw
        liveInLeaf[Int(slot)] += 1
        presentCount += 1
    }

    /// Replaces a present PTE (setting the visible bit at sync time).
    mutating func update(_ granule: UInt64, _ pte: PageTableEntry) {
        let slot = slot(ofLeaf: granule >> Self.leafShift)!
        entries[Self.index(slot, granule)] = pte.raw
    }

    /// Clears a present PTE, releasing its leaf when it was the last one.
    mutating func clear(_ granule: UInt64) {
        let leaf = granule >> Self.leafShift
        let slot = slot(ofLeaf: leaf)!
        let index = Self.index(slot, granule)
        precondition(entries[index] != 0, "clear of an absent PTE")
        entries[index] = 0
        presentCount -= 1
        liveInLeaf[Int(slot)] -= 1
        if liveInLeaf[Int(slot)] == 0 {
            leafSlot[leaf] = nil
            freeSlots.append(slot)
            if recentLeaf == leaf { remember(.max, -1) }
        }
    }

    /// Whether any granule in `[first, first+count)` is present; skips empty leaves whole.
    func anyPresent(from first: UInt64, count: UInt64) -> Bool {
        var granule = first
        let end = first + count
        while granule < end {
            let leafEnd = min(end, (granule | UInt64(Self.leafEntries - 1)) + 1)
            if let slot = slot(ofLeaf: granule >> Self.leafShift) {
                for g in granule..<leafEnd where entries[Self.index(slot, g)] != 0 { return true }
            }
            granule = leafEnd
        }
        return false
    }

    /// Leaves in use (for memory accounting).
    var leafCount: Int { leafSlot.count }

    private static func index(_ slot: Int32, _ granule: UInt64) -> Int {
        Int(slot) << Int(leafShift) | Int(granule & UInt64(leafEntries - 1))
    }

    private mutating func slotCreatingLeaf(_ leaf: UInt64) -> Int32 {
        if let slot = slot(ofLeaf: leaf) { return slot }
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = Int32(liveInLeaf.count)
            entries.append(contentsOf: repeatElement(0, count: Self.leafEntries))
            liveInLeaf.append(0)
        }
        leafSlot[leaf] = slot
        remember(leaf, slot)
        return slot
    }
}
