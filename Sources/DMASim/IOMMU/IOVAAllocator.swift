/// One allocated (or reserved) IOVA range in the allocator's tree: `struct iova`.
struct IOVANode: SortKeyed, Hashable {
    var pfnLo: UInt64
    var pfnHi: UInt64
    var sortKey: UInt64 { pfnLo }
}

/// `struct iova_domain` (drivers/iommu/iova.c, the rbtree allocator, unchanged from 6.16 to
/// 7.3), ported step by step so that the same call sequence on a fresh domain returns the
/// same IOVAs as the kernel: top-down search from a cached node, size-aligned ranges,
/// small sizes rounded to a power of two and recycled through per-order, per-CPU
/// magazines and their shared depot (the rcache). Every rcache call names the CPU it runs
/// on, as `raw_cpu_ptr()` does in the kernel.
struct IOVAAllocator {
    /// `IOVA_ANCHOR`: a sentinel node at the very top so every walk has a start.
    static let anchorPfn = UInt64.max
    /// `IOVA_RANGE_CACHE_MAX_SIZE`: orders 0…5 (1…32 granules) are cached.
    static let rangeCacheMaxOrder = 6

    let startPfn: UInt64
    /// `dma_32bit_pfn`: first pfn at or above 4 GiB.
    let dma32BitPfn: UInt64
    /// `max32_alloc_size`: a 32-bit request this large or larger is known to fail.
    // Internal rather than private so that IOVAAllocator+State can write and restore them.
    var max32AllocSize: UInt64
    var tree = BlockedSortedArray<IOVANode>()
    var cachedNodeKey = IOVAAllocator.anchorPfn
    var cached32NodeKey = IOVAAllocator.anchorPfn
    var rangeCaches = [IOVARangeCache](repeating: IOVARangeCache(), count: IOVAAllocator.rangeCacheMaxOrder)

    /// `init_iova_domain(iovad, granule, start_pfn)`.
    init(granuleShift: UInt64, startPfn: UInt64) {
        self.startPfn = startPfn
        self.dma32BitPfn = UInt64(1) << (32 - granuleShift)
        self.max32AllocSize = dma32BitPfn
        tree.insert(IOVANode(pfnLo: Self.anchorPfn, pfnHi: Self.anchorPfn))
    }

    /// Live tree nodes, the anchor excluded (allocated and rcache-held ranges).
    var nodeCount: Int { tree.count - 1 }

    // MARK: alloc_iova_fast / free_iova_fast

    /// `alloc_iova_fast()` on `cpu`: returns a pfn, or 0 when nothing fits below
    /// `limitPfn` (inclusive). Sizes under 32 granules are rounded up to a power of two
    /// first so that they can be recycled through the rcache. `onlineCPUs` are the CPUs
    /// whose magazines the retry flushes (`for_each_online_cpu`).
    mutating func allocFast(pageCount: UInt64, limitPfn: UInt64, flushCachesOnFailure: Bool, cpu: Int = 0, onlineCPUs: Int = 1) -> UInt64 {
        var size = pageCount
        if size < UInt64(1) << (Self.rangeCacheMaxOrder - 1) { size = size.roundedUpToPowerOfTwo }
        if let pfn = rangeCacheGet(size: size, limitPfn: limitPfn &+ 1, cpu: cpu) { return pfn }
        if let node = alloc(pageCount: size, limitPfn: limitPfn, sizeAligned: true) { return node.pfnLo }
        guard flushCachesOnFailure else { return 0 }
        // "Try replenishing IOVAs by flushing rcache."
        flushRangeCaches(onlineCPUs: onlineCPUs)
        return alloc(pageCount: size, limitPfn: limitPfn, sizeAligned: true)?.pfnLo ?? 0
    }

    /// `free_iova_fast()` on `cpu`: into that CPU's rcache when the order is cacheable,
    /// else out of the tree. No duplicate detection, as in the kernel: a double free caches
    /// a pfn twice. Returns the order whose depot just grew, when one did: its
    /// `iova_depot_work_func` is due `IOVA_DEPOT_DELAY` later.
    @discardableResult
    mutating func freeFast(pfn: UInt64, pageCount: UInt64, cpu: Int = 0) -> Int? {
        let order = pageCount.orderBase2
        if order < Self.rangeCacheMaxOrder {
            return rangeCaches[order].insert(pfn, cpu: cpu) ? order : nil
        }
        free(pfn: pfn)
        return nil
    }

    /// `iova_depot_work_func()` of order `order`: while the depot holds more magazines than
    /// there are CPUs online, one goes back to the tree per run. Returns whether it did
    /// (then the work schedules itself again).
    mutating func depotWork(order: Int, onlineCPUs: Int) -> Bool {
        guard rangeCaches[order].depot.count > onlineCPUs, var magazine = rangeCaches[order].depot.popLast() else { return false }
        freeTreeNodes(magazine.drain())
        return true
    }

    /// `free_iova()`: removes the node containing `pfn`, if any. Returns whether one was.
    @discardableResult
    mutating func free(pfn: UInt64) -> Bool {
        guard let cursor = findNode(containing: pfn) else { return false }
        remove(at: cursor)
        return true
    }

    /// `reserve_iova()` for a range known not to overlap anything yet.
    mutating func reserve(pfnLo: UInt64, pfnHi: UInt64) {
        tree.insert(IOVANode(pfnLo: pfnLo, pfnHi: pfnHi))
    }

    /// `private_find_iova()`: the node whose range contains `pfn`.
    func findNode(containing pfn: UInt64) -> BlockedSortedArray<IOVANode>.Cursor? {
        guard let cursor = tree.floor(pfn), tree[cursor].pfnHi >= pfn, tree[cursor].pfnLo != Self.anchorPfn else { return nil }
        return cursor
    }

    // MARK: alloc_iova / __alloc_and_insert_iova_range

    /// `alloc_iova()`: `limitPfn` is inclusive here and exclusive below.
    mutating func alloc(pageCount: UInt64, limitPfn: UInt64, sizeAligned: Bool) -> IOVANode? {
        allocAndInsertRange(size: pageCount, limitPfn: limitPfn &+ 1, sizeAligned: sizeAligned)
    }

    /// `__alloc_and_insert_iova_range()`: walk the tree backwards from the cached node,
    /// placing the range at the top of the first gap that fits; if that fails from the
    /// cache point, retry once over the part above it.
    private mutating func allocAndInsertRange(size: UInt64, limitPfn: UInt64, sizeAligned: Bool) -> IOVANode? {
        let alignMask: UInt64 = sizeAligned ? ~0 << UInt64((size &- 1).flsLong) : ~0
        if limitPfn <= dma32BitPfn && size >= max32AllocSize { return nil }  // iova32_full

        var current: BlockedSortedArray<IOVANode>.Cursor? = tree.find(cachedNodeKey(for: limitPfn))!
        var currentNode = tree[current!]
        let retryPfn = currentNode.pfnHi
        var highPfn = limitPfn, lowPfn = startPfn
        var newPfn: UInt64 = 0
        while true {
            repeat {
                highPfn = min(highPfn, currentNode.pfnLo)
                newPfn = (highPfn &- size) & alignMask
                current = tree.predecessor(current!)
                if let cursor = current { currentNode = tree[cursor] }
            } while current != nil && newPfn <= currentNode.pfnHi && newPfn >= lowPfn

            if highPfn >= size && newPfn >= lowPfn { break }
            guard lowPfn == startPfn && retryPfn < limitPfn else {
                max32AllocSize = size
                return nil
            }
            highPfn = limitPfn
            lowPfn = retryPfn + 1
            current = firstNode(endingAtOrAbove: limitPfn)
            currentNode = tree[current!]
        }
        let node = IOVANode(pfnLo: newPfn, pfnHi: newPfn + size - 1)
        tree.insert(node)
        // __cached_rbnode_insert_update()
        if node.pfnHi < dma32BitPfn { cached32NodeKey = node.pfnLo } else { cachedNodeKey = node.pfnLo }
        return node
    }

    /// `__get_cached_rbnode()`.
    private func cachedNodeKey(for limitPfn: UInt64) -> UInt64 {
        limitPfn <= dma32BitPfn ? cached32NodeKey : cachedNodeKey
    }

    /// Where the retry walk starts. The kernel's `iova_find_limit()` returns some node at
    /// or above the limit (the anchor for 64-bit limits); a walk from any such node yields
    /// the same gap, because nodes above the limit never lower `high_pfn` below it. The
    /// lowest node ending at or above the limit is the cheapest of them.
    private func firstNode(endingAtOrAbove limitPfn: UInt64) -> BlockedSortedArray<IOVANode>.Cursor {
        if let cursor = tree.floor(limitPfn) {
            return tree[cursor].pfnHi >= limitPfn ? cursor : tree.successor(cursor)!
        }
        return tree.first!
    }

    /// `remove_iova()` with `__cached_rbnode_delete_update()`.
    private mutating func remove(at cursor: BlockedSortedArray<IOVANode>.Cursor) {
        let freed = tree[cursor]
        let nextKey = tree[tree.successor(cursor)!].pfnLo
        let cached32 = tree[tree.find(cached32NodeKey)!]
        if freed.pfnLo == cached32.pfnLo || (freed.pfnHi < dma32BitPfn && freed.pfnLo >= cached32.pfnLo) {
            cached32NodeKey = nextKey
        }
        if freed.pfnLo < dma32BitPfn { max32AllocSize = dma32BitPfn }
        let cached = tree[tree.find(cachedNodeKey)!]
        if freed.pfnLo >= cached.pfnLo { cachedNodeKey = nextKey }
        tree.remove(at: cursor)
    }

    // MARK: rcache

    /// `iova_rcache_get()`: `limitPfn` is exclusive; the magazine pop wants pfn ≤ limit - size.
    private mutating func rangeCacheGet(size: UInt64, limitPfn: UInt64, cpu: Int) -> UInt64? {
        let order = size.orderBase2
        guard order < Self.rangeCacheMaxOrder else { return nil }
        return rangeCaches[order].get(limitPfn: limitPfn &- size, cpu: cpu)
    }

    /// `free_cpu_cached_iovas()` for every online CPU, then `free_global_cached_iovas()`:
    /// every cached pfn goes back out of the tree, CPU by CPU and order by order, loaded
    /// before previous, then the depots.
    mutating func flushRangeCaches(onlineCPUs: Int = 1) {
        for cpu in 0..<max(onlineCPUs, 1) {
            for order in 0..<Self.rangeCacheMaxOrder where cpu < rangeCaches[order].cpus.count {
                freeTreeNodes(rangeCaches[order].cpus[cpu].loaded.drain())
                freeTreeNodes(rangeCaches[order].cpus[cpu].previous.drain())
            }
        }
        for order in 0..<Self.rangeCacheMaxOrder {
            while var magazine = rangeCaches[order].depot.popLast() {
                freeTreeNodes(magazine.drain())
            }
        }
    }

    /// `iova_magazine_free_pfns()`: a pfn with no node (double free) is a WARN and skipped.
    private mutating func freeTreeNodes(_ pfns: [UInt64]) {
        for pfn in pfns { free(pfn: pfn) }
    }

    /// Pfns sitting in the rcache, by order: every CPU's, then the depot's (tests and diagnostics).
    func cachedPfns(order: Int) -> [UInt64] {
        let cache = rangeCaches[order]
        return cache.cpus.flatMap { $0.loaded.pfns + $0.previous.pfns } + cache.depot.flatMap(\.pfns)
    }

    /// Pfns in one CPU's magazines of an order, loaded then previous.
    func cachedPfns(order: Int, cpu: Int) -> [UInt64] {
        let cache = rangeCaches[order]
        guard cpu < cache.cpus.count else { return [] }
        return cache.cpus[cpu].loaded.pfns + cache.cpus[cpu].previous.pfns
    }
}

extension UInt64 {
    /// `fls_long()`: 1-based index of the most significant set bit, 0 for 0.
    var flsLong: Int { self == 0 ? 0 : 64 - leadingZeroBitCount }
    /// `order_base_2()`: ⌈log2(n)⌉, 0 for 0 and 1.
    var orderBase2: Int { self <= 1 ? 0 : (self - 1).flsLong }
    /// `roundup_pow_of_two()`.
    var roundedUpToPowerOfTwo: UInt64 { self <= 1 ? 1 : UInt64(1) << UInt64((self - 1).flsLong) }
}
