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

/// `struct iova_cpu_rcache`: one CPU's loaded and previous magazines of one size order.
struct IOVACPURangeCache {
    var loaded = IOVAMagazine()
    var previous = IOVAMagazine()

    /// `swap(cpu_rcache->prev, cpu_rcache->loaded)`.
    mutating func swapMagazines() { swap(&loaded, &previous) }
}

/// `struct iova_rcache` of one size order: every CPU's magazines (`cpu_rcaches`) and the
/// depot of full magazines they share. A free goes into the freeing CPU's magazines, an
/// allocation takes from the allocating CPU's: an IOVA freed on one CPU comes back to an
/// allocation on another only through the depot, or the tree.
struct IOVARangeCache {
    /// Per CPU, grown as CPUs first use it (a CPU that never did has empty magazines).
    var cpus: [IOVACPURangeCache] = []
    /// Full magazines, last pushed first popped (`iova_depot_push/pop`); `depot_size` is its count.
    var depot: [IOVAMagazine] = []

    /// Makes room for `cpu`'s magazines (`raw_cpu_ptr(rcache->cpu_rcaches)`).
    private mutating func reach(_ cpu: Int) {
        if cpu >= cpus.count { cpus.append(contentsOf: repeatElement(IOVACPURangeCache(), count: cpu + 1 - cpus.count)) }
    }

    /// `__iova_rcache_insert()` on `cpu`. Always succeeds: the kernel only fails when a
    /// GFP_ATOMIC magazine allocation fails. Returns whether a full loaded magazine went
    /// to the depot, which schedules `iova_depot_work_func` (`IOVA_DEPOT_DELAY`).
    @discardableResult
    mutating func insert(_ pfn: UInt64, cpu: Int) -> Bool {
        reach(cpu)
        var pushedToDepot = false
        if cpus[cpu].loaded.isFull {
            if !cpus[cpu].previous.isFull {
                cpus[cpu].swapMagazines()
            } else {
                depot.append(cpus[cpu].loaded)
                cpus[cpu].loaded = IOVAMagazine()
                pushedToDepot = true
            }
        }
        cpus[cpu].loaded.push(pfn)
        return pushedToDepot
    }

    /// `__iova_rcache_get()` on `cpu`, with the limit already reduced by the size.
    mutating func get(limitPfn: UInt64, cpu: Int) -> UInt64? {
        reach(cpu)
        if cpus[cpu].loaded.isEmpty {
            if !cpus[cpu].previous.isEmpty {
                cpus[cpu].swapMagazines()
            } else if let full = depot.popLast() {
                cpus[cpu].loaded = full
            } else {
                return nil
            }
        }
        return cpus[cpu].loaded.pop(limitPfn: limitPfn)
    }
}
