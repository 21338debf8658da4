/// `struct iova_magazine` (drivers/iommu/iova.c): a stack of cached IOVA pfns of one size
/// order. 127 entries make the kernel struct exactly 1 KiB.
struct IOVAMagazine {
    static let capacity = 127
    private(set) var pfns: [UInt64] = []

    var isFull: Bool { pfns.count == Self.capacity }
    var isEmpty: Bool { pfns.isEmpty }

    /// `iova_magazine_push()`.
    mutating func push(_ pfn: UInt64) {
        precondition(!isFull)
        pfns.append(pfn)
    }

    /// `iova_magazine_pop()`: the topmost pfn ≤ `limitPfn`, swapped out with the top.
    /// "Only fall back to the rbtree if we have no suitable pfns at all."
    mutating func pop(limitPfn: UInt64) -> UInt64? {
        var index = pfns.count - 1
        while pfns[index] > limitPfn {
            if index == 0 { return nil }
            index -= 1
        }
        let pfn = pfns[index]
        pfns[index] = pfns[pfns.count - 1]
        pfns.removeLast()
        return pfn
    }

    /// Empties the magazine, returning what it held in push order
    /// (`iova_magazine_free_pfns()` walks index 0 upwards).
    mutating func drain() -> [UInt64] {
        defer { pfns.removeAll(keepingCapacity: true) }
        return pfns
    }
}

/// `struct iova_rcache` for one CPU: the loaded and previous magazines plus the shared
/// depot of full magazines. The simulator runs one CPU; the depot's delayed reclaim work
/// (`IOVA_DEPOT_DELAY`, 100 ms) is time-based and not modelled, so the depot only shrinks
/// when allocation failure flushes every cache.
struct IOVARangeCache {
    var loaded = IOVAMagazine()
    var previous = IOVAMagazine()
    /// Full magazines, last pushed first popped (`iova_depot_push/pop`).
    var depot: [IOVAMagazine] = []

    /// `__iova_rcache_insert()`. Always succeeds: the kernel only fails when a GFP_ATOMIC
    /// magazine allocation fails.
    mutating func insert(_ pfn: UInt64) {
        if loaded.isFull {
            if !previous.isFull {
                swap(&loaded, &previous)
            } else {
                depot.append(loaded)
                loaded = IOVAMagazine()
            }
        }
        loaded.push(pfn)
    }

    /// `__iova_rcache_get()` with the limit already reduced by the size.
    mutating func get(limitPfn: UInt64) -> UInt64? {
        if loaded.isEmpty {
            if !previous.isEmpty {
                swap(&loaded, &previous)
            } else if let full = depot.popLast() {
                loaded = full
            } else {
                return nil
            }
        }
        return loaded.pop(limitPfn: limitPfn)
    }
}
