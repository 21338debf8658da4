#if canImport(Glibc)
import Glibc
#endif

/// Backing bytes for physical memory, allocated only for pages that have been written.
///
/// A dictionary maps a 4 KiB page number to a slot in a dense arena of large chunks, so
/// the cost is the bytes touched plus one dictionary entry per touched page — never
/// anything per page of the region (a 1 TiB region costs nothing until written). Pages
/// that were never written read as zero. (Measured on this machine: one huge sparse mmap
/// costs as much again in kernel page tables; a page-number dictionary into an arena did not.)
final class SparsePageStore {
    static let pageShift: UInt64 = 12
    static let pageBytes = 4096
    /// 64 MiB of address space a chunk, reserved but not committed: the kernel backs it
    /// 4 KiB at a time as slots are used.
    ///
    /// Not with transparent huge pages (`MADV_HUGEPAGE`), though they take 512 times fewer
    /// faults: on the project's VM (Firecracker, free page reporting of 2 MiB blocks to
    /// the host) a fresh huge page is almost always one the host has taken back, and
    /// first-touching 1 GiB cost 1.4–3.6 s with them against 0.5–1.7 s without (a C probe,
    /// alternating, same load); restoring a 1 GiB snapshot into a new engine took 2.6–3.3 s
    /// against 1.6–1.8 s, kernel CPU 1.0–1.2 s against 0.3–0.6 s. The arena is dense, so
    /// 4 KiB page tables stay at 2 MiB a GiB touched.
    static let pagesPerChunk = 16384

    @exclusivity(unchecked) private var slotOfPage: [UInt64: Int32] = [:]
    @exclusivity(unchecked) private var chunks: [UnsafeMutableRawPointer] = []
    /// Slots handed out so far: a page's, or reserved (`reserveSlots`) and never bound.
    @exclusivity(unchecked) private var slotCount = 0
    /// The write epoch each slot was last handed out for writing in; snapshots take only
    /// pages written since the epoch of the previous one (incremental snapshots).
    @exclusivity(unchecked) private var writeEpochOfSlot: [UInt32] = []
    /// Advanced by `startEpoch()`; starts at 1 so 0 can mean "before any snapshot". Set
    /// only to continue the count of an engine restored from a checkpoint.
    @exclusivity(unchecked) var epoch: UInt32 = 1

    init() {}

    deinit {
        for chunk in chunks { Self.releaseChunk(chunk) }
    }

    /// Number of pages that have backing.
    var touchedPageCount: Int { slotOfPage.count }

    /// The page's bytes if it was ever written, nil for a page that still reads as zero.
    func existingPage(_ pageNumber: UInt64) -> UnsafeMutableRawPointer? {
        guard let slot = slotOfPage[pageNumber] else { return nil }
        return pointer(toSlot: Int(slot))
    }

    /// The page's bytes, allocating a zeroed page on first use.
    func page(_ pageNumber: UInt64) -> UnsafeMutableRawPointer {
        if let slot = slotOfPage[pageNumber] {
            writeEpochOfSlot[Int(slot)] = epoch
            return pointer(toSlot: Int(slot))
        }
        let slot = takeSlots(1)
        slotOfPage[pageNumber] = Int32(slot)
        return pointer(toSlot: slot)
    }

    /// Reserves `count` consecutive slots (at most a 64 KiB chunk's worth) and returns the
    /// first and its bytes, for a caller to fill and then `bind` to pages. A reserved
    /// slot belongs to no page; one never bound stays a hole that nobody writes, so the
    /// kernel never backs it, and costs only its 4 bytes of epoch.
    func reserveSlots(_ count: Int) -> (first: Int, bytes: UnsafeMutableRawPointer) {
        precondition(count > 0 && count <= 16)
        let first = takeSlots(count)
        return (first, pointer(toSlot: first))
    }

    /// Makes reserved slot `slot` the backing of page `pageNumber`, which has none.
    func bind(_ pageNumber: UInt64, toSlot slot: Int) {
        precondition(slot < slotCount && slotOfPage[pageNumber] == nil, "page \(pageNumber) already has backing")
        slotOfPage[pageNumber] = Int32(slot)
        writeEpochOfSlot[slot] = epoch
    }

    /// Begins a new write epoch and returns the one that ended.
    func startEpoch() -> UInt32 {
        defer { epoch += 1 }
        return epoch
    }

    /// Page numbers written during or after `epoch`, ascending.
    func pagesWritten(since epoch: UInt32) -> [UInt64] {
        // Straight into an array: filtering the dictionary would build a second one
        // (a hash insert per touched page) only to read its keys.
        var pages: [UInt64] = []
        pages.reserveCapacity(slotOfPage.count)
        for (page, slot) in slotOfPage where writeEpochOfSlot[Int(slot)] >= epoch { pages.append(page) }
        pages.sort()
        return pages
    }

    /// Page numbers with backing, ascending (for snapshots and tests).
    func touchedPages() -> [UInt64] { slotOfPage.keys.sorted() }

    private func pointer(toSlot slot: Int) -> UnsafeMutableRawPointer {
        chunks[slot / Self.pagesPerChunk] + (slot % Self.pagesPerChunk) * Self.pageBytes
    }

    /// Hands out `count` consecutive slots inside one arena chunk (skipping to the next
    /// chunk when they do not fit), written in the current epoch.
    private func takeSlots(_ count: Int) -> Int {
        var first = slotCount
        if first % Self.pagesPerChunk + count > Self.pagesPerChunk {
            first = (first / Self.pagesPerChunk + 1) * Self.pagesPerChunk
        }
        slotCount = first + count
        while chunks.count * Self.pagesPerChunk < slotCount { chunks.append(Self.reserveChunk()) }
        writeEpochOfSlot.append(contentsOf: repeatElement(epoch, count: slotCount - writeEpochOfSlot.count))
        return first
    }

    private static var chunkBytes: Int { pagesPerChunk * pageBytes }

    /// Fresh anonymous memory reads as zero, so no slot needs clearing by hand.
    private static func reserveChunk() -> UnsafeMutableRawPointer {
        #if canImport(Glibc)
        let mapping = mmap(nil, chunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        precondition(mapping != MAP_FAILED, "cannot reserve \(chunkBytes) bytes for simulated memory")
        return mapping!
        #else
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: pageBytes)
        chunk.initializeMemory(as: UInt8.self, repeating: 0, count: chunkBytes)
        return chunk
        #endif
    }

    private static func releaseChunk(_ chunk: UnsafeMutableRawPointer) {
        #if canImport(Glibc)
        munmap(chunk, chunkBytes)
        #else
        chunk.deallocate()
        #endif
    }
}
