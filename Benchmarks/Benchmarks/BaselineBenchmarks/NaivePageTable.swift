/// The naive design issue 8 compares against: one `Dictionary` entry per granule, keyed
/// by IOVA page number, holding the physical address and prot. No allocator, no IOTLB,
/// no checker, no outcome — only the map and unmap a page table must do.
struct NaivePageTable {
    struct Entry {
        var phys: UInt64
        var prot: UInt8
    }

    private var entries: [UInt64: Entry] = [:]

    /// Maps `count` granules; false if one is present (the -EEXIST case).
    mutating func map(firstPage: UInt64, phys: UInt64, count: UInt64, prot: UInt8) -> Bool {
        for index in 0..<count {
            if entries[firstPage + index] != nil { return false }
            entries[firstPage + index] = Entry(phys: phys + index << 12, prot: prot)
        }
        return true
    }

    /// Unmaps until the first hole; returns the granules unmapped.
    mutating func unmap(firstPage: UInt64, count: UInt64) -> UInt64 {
        var done: UInt64 = 0
        while done < count, entries.removeValue(forKey: firstPage + done) != nil { done += 1 }
        return done
    }
}
