/// The machine's physical address space: named, non-overlapping regions over one sparse
/// byte store. Addresses are physical; there is no `struct page` anywhere, only ranges.
final class PhysicalMemory {
    static let pageShift = SparsePageStore.pageShift
    static let pageBytes = SparsePageStore.pageBytes
    @exclusivity(unchecked) private(set) var regions: [RegionSpec] = []
    let store = SparsePageStore()
    /// Who last wrote each byte, once tracking started (`Engine+Verify`); nil until then.
    @exclusivity(unchecked) var lastWriters: LastWriterMap?
    /// What an untouched page reads as. Allocated once, never written after, never freed.
    nonisolated(unsafe) private static let zeroPage: UnsafeRawBufferPointer = {
        let page = UnsafeMutableRawBufferPointer.allocate(byteCount: SparsePageStore.pageBytes, alignment: 16)
        page.initializeMemory(as: UInt8.self, repeating: 0)
        return UnsafeRawBufferPointer(page)
    }()

    /// Adds a region; returns why not when it is empty, wraps, or overlaps another.
    func add(_ region: RegionSpec) -> String? {
        guard region.sizeBytes > 0, let end = region.end else {
            return "region \(region.name) is empty or wraps the 64-bit address space"
        }
        if let clash = regions.first(where: { $0.base < end && region.base < $0.end! }) {
            return "region \(region.name) overlaps region \(clash.name)"
        }
        regions.append(region)
        regions.sort { $0.base < $1.base }
        return nil
    }

    /// The region holding all of `[phys, phys+length)`, if one does.
    func region(containing phys: UInt64, length: UInt64) -> RegionSpec? {
        let (last, overflow) = phys.addingReportingOverflow(max(length, 1) - 1)
        if overflow { return nil }
        return regions.first { $0.base <= phys && last < $0.end! }
    }

    /// Writes `length` bytes of `fill` at `phys`, taking fill bytes from `fillPosition` on.
    func write(phys: UInt64, length: UInt64, fill: Fill, fillPosition: UInt64) {
        forEachPageSpan(phys: phys, length: length) { pageNumber, offset, count, done in
            let page = store.page(pageNumber)
            fill.render(into: UnsafeMutableRawBufferPointer(start: page + offset, count: count), from: fillPosition + done)
        }
    }

    /// Feeds `length` bytes at `phys` to `hasher`.
    func hash(phys: UInt64, length: UInt64, into hasher: inout XXH64) {
        forEachPageSpan(phys: phys, length: length) { pageNumber, offset, count, _ in
            hasher.update(bytes(page: pageNumber, offset: offset, count: count))
        }
    }

    /// Copies bytes inside physical memory (swiotlb bounce copies).
    func copy(from source: UInt64, to destination: UInt64, length: UInt64) {
        var scratch = [UInt8](repeating: 0, count: Int(length))
        read(phys: source, into: &scratch)
        scratch.withUnsafeBytes { bytes in writeBytes(phys: destination, bytes) }
    }

    /// Reads bytes into an array (tests, snapshots, bounce copies).
    func read(phys: UInt64, into bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { destination in
            forEachPageSpan(phys: phys, length: UInt64(destination.count)) { pageNumber, offset, count, done in
                let target = destination.baseAddress! + Int(done)
                if let page = store.existingPage(pageNumber) {
                    target.copyMemory(from: page + offset, byteCount: count)
                } else {
                    target.initializeMemory(as: UInt8.self, repeating: 0, count: count)
                }
            }
        }
    }

    /// Stores raw bytes at `phys`.
    func writeBytes(phys: UInt64, _ bytes: UnsafeRawBufferPointer) {
        forEachPageSpan(phys: phys, length: UInt64(bytes.count)) { pageNumber, offset, count, done in
            (store.page(pageNumber) + offset).copyMemory(from: bytes.baseAddress! + Int(done), byteCount: count)
        }
    }

    /// `count` bytes of page `pageNumber` from `offset`, as memory holds them (zeros for
    /// a page never written).
    func bytes(page pageNumber: UInt64, offset: Int, count: Int) -> UnsafeRawBufferPointer {
        if let page = store.existingPage(pageNumber) { return UnsafeRawBufferPointer(start: page + offset, count: count) }
        return UnsafeRawBufferPointer(rebasing: Self.zeroPage[offset..<offset + count])
    }

    /// Splits `[phys, phys+length)` at 4 KiB page boundaries: (page, offset in page,
    /// bytes in this span, bytes done before it).
    func forEachPageSpan(
        phys: UInt64, length: UInt64, _ body: (UInt64, Int, Int, UInt64) -> Void
    ) {
        var done: UInt64 = 0
        while done < length {
            let address = phys &+ done  // a range past 2^64 wraps, as phys_addr_t arithmetic does
            let offset = Int(address & UInt64(SparsePageStore.pageBytes - 1))
            let count = Int(min(UInt64(SparsePageStore.pageBytes - offset), length - done))
            body(address >> SparsePageStore.pageShift, offset, count, done)
            done += UInt64(count)
        }
    }
}
