/// A write-back CPU data cache, as a non-coherent device experiences it (arm64: 64-byte
/// lines, `dcache_clean_poc` / `dcache_inval_poc`). Each line the CPU holds is
///
/// - **clean**: a copy equal to memory;
/// - **dirty**: the CPU wrote it and memory is older (the data lives here);
/// - **stale**: a copy the CPU keeps while a non-coherent device wrote memory since
///   (the old data lives here, and a CPU read returns it).
///
/// The cache has no capacity and no prefetch: lines leave only by maintenance or a
/// coherent snoop, which is the worst case a driver must be correct against.
///
/// Storage grows with the lines held, never with region size: a dictionary from 4 KiB
/// page to a `PageLines` entry (three 64-bit line masks), and, for pages that hold
/// dirty or stale data, a table of 64 arena slots into a dense `LineArena`. Clean lines
/// carry no data.
///
/// A value type: the engine holds one and mutates it in place, so line bookkeeping
/// pays no dynamic exclusivity checks.
struct CPUCache {
    static let lineShift: UInt64 = 6
    static let lineBytes = 64
    static let linesPerPage = 64

    struct PageLines {
        var held: UInt64 = 0
        var dirty: UInt64 = 0
        var stale: UInt64 = 0
        /// First of this page's 64 entries in `lineSlots`, or -1 when no line has data.
        var slotTable: Int32 = -1

        var withData: UInt64 { dirty | stale }
    }

    /// One page of scratch for views that mix memory and line data.
    final class Scratch {
        let page = UnsafeMutableRawBufferPointer.allocate(byteCount: PhysicalMemory.pageBytes, alignment: 64)
        deinit { page.deallocate() }
    }

    let memory: PhysicalMemory
    private let scratch = Scratch()
    var arena = LineArena()
    private(set) var entryOfPage: [UInt64: Int32] = [:]
    private var pages: [PageLines] = []
    private var freeEntries: [Int32] = []
    private var lineSlots: [Int32] = []
    private var freeTables: [Int32] = []

    init(memory: PhysicalMemory) { self.memory = memory }

    var scratchPage: UnsafeMutableRawBufferPointer { scratch.page }

    /// Lines the CPU holds in any state, and lines carrying data (dirty or stale).
    var heldLineCount: Int { entryOfPage.values.reduce(0) { $0 + pages[Int($1)].held.nonzeroBitCount } }
    var dataLineCount: Int { arena.liveCount }

    /// The state of the line holding `phys`.
    func lineState(_ phys: UInt64) -> LineState {
        guard let entry = entryOfPage[phys >> PhysicalMemory.pageShift] else { return .absent }
        let bit = UInt64(1) << ((phys >> Self.lineShift) & 63)
        let lines = pages[Int(entry)]
        if lines.dirty & bit != 0 { return .dirty }
        if lines.stale & bit != 0 { return .stale }
        return lines.held & bit != 0 ? .clean : .absent
    }

    enum LineState: Hashable { case absent, clean, dirty, stale }

    // MARK: entries

    func entry(ofPage page: UInt64) -> Int32? { entryOfPage[page] }

    mutating func entryCreating(page: UInt64) -> Int32 {
        if let entry = entryOfPage[page] { return entry }
        let entry: Int32
        if let reused = freeEntries.popLast() {
            entry = reused
            pages[Int(entry)] = PageLines()
        } else {
            entry = Int32(pages.count)
            pages.append(PageLines())
        }
        entryOfPage[page] = entry
        return entry
    }

    subscript(entry: Int32) -> PageLines {
        get { pages[Int(entry)] }
        set { pages[Int(entry)] = newValue }
    }

    /// Drops the entry once it holds no line.
    mutating func releaseIfEmpty(_ entry: Int32, page: UInt64) {
        guard pages[Int(entry)].held == 0 else { return }
        precondition(pages[Int(entry)].slotTable < 0, "an empty page entry still has line data")
        entryOfPage[page] = nil
        freeEntries.append(entry)
    }

    // MARK: line data

    /// The data of a dirty or stale line.
    func data(_ entry: Int32, line: Int) -> UnsafeMutableRawPointer {
        let table = pages[Int(entry)].slotTable
        return arena.pointer(lineSlots[Int(table) + line])
    }

    /// Gives a line a data slot (uninitialised); the caller sets dirty or stale.
    mutating func allocateData(_ entry: Int32, line: Int) -> UnsafeMutableRawPointer {
        if pages[Int(entry)].slotTable < 0 { pages[Int(entry)].slotTable = allocateTable() }
        let slot = arena.allocate()
        lineSlots[Int(pages[Int(entry)].slotTable) + line] = slot
        return arena.pointer(slot)
    }

    /// Frees a line's data slot; the caller clears its dirty or stale bit and calls
    /// `releaseTableIfUnused` when done with the page.
    mutating func freeData(_ entry: Int32, line: Int) {
        arena.free(lineSlots[Int(pages[Int(entry)].slotTable) + line])
    }

    /// Returns the page's slot table once no line of it carries data.
    mutating func releaseTableIfUnused(_ entry: Int32) {
        let table = pages[Int(entry)].slotTable
        guard table >= 0, pages[Int(entry)].withData == 0 else { return }
        freeTables.append(table)
        pages[Int(entry)].slotTable = -1
    }

    private mutating func allocateTable() -> Int32 {
        if let reused = freeTables.popLast() { return reused }
        let table = Int32(lineSlots.count)
        lineSlots.append(contentsOf: repeatElement(-1, count: Self.linesPerPage))
        return table
    }
}
