/// What an import asks of the IOVA rcache: which IOVAs the next allocations of one size
/// would get from it, so that a trace's IOVAs can say in which order two calls that
/// trace nothing allocated (an untraced `dma_iova_try_alloc` of another task).
extension Engine {
    /// The IOVAs the next allocations of the size of one that returned `address` for
    /// `length` bytes (`iova_align(length + iova_offset(address))`, as
    /// `iommu_dma_alloc_iova()` is asked) by `device` on `cpu` would pop from the CPU's
    /// magazines, in the order they would get them, at most `count`: the loaded magazine
    /// from its top, then the previous one, then the depot's newest full one
    /// (drivers/iommu/iova.c `__iova_rcache_get()`, `iova_magazine_pop()`); and the
    /// domain's granule, within which such an IOVA is `address`'s start. Nil when the
    /// device has no IOMMU domain; no IOVAs when the size is not cached (64 granules or more).
    public func nextCachedIOVAs(device: String, address: UInt64, length: UInt64, cpu: Int, count: Int) -> (iovas: [UInt64], granule: UInt64)? {
        guard let domain = devices[device]?.domain, length > 0 else { return nil }
        let bytes = length.addingReportingOverflow(domain.granule.offset(address))
        guard !bytes.overflow, bytes.partialValue <= UInt64.max - domain.granule.bytes else { return nil }
        let pageCount = domain.granule.alignUp(bytes.partialValue) >> domain.granule.shift
        let pfns = domain.allocator.nextCachedPfns(pageCount: pageCount, cpu: cpu, count: count)
        return (pfns.map { domain.granule.address(ofPfn: $0) }, domain.granule.bytes)
    }
}

extension IOVAAllocator {
    /// The pfns the next `alloc_iova_fast()` calls of `pageCount` granules on `cpu` would
    /// take from the rcache (the size rounded up to a power of two first, as there), with
    /// no limit below the magazines' contents.
    func nextCachedPfns(pageCount: UInt64, cpu: Int, count: Int) -> [UInt64] {
        var size = pageCount
        if size < UInt64(1) << (Self.rangeCacheMaxOrder - 1) { size = size.roundedUpToPowerOfTwo }
        let order = size.orderBase2
        guard order < Self.rangeCacheMaxOrder else { return [] }
        return rangeCaches[order].nextPops(cpu: cpu, count: count)
    }
}

extension IOVARangeCache {
    /// The first `count` pfns `get()` on `cpu` would return, in order, with no limit: the
    /// loaded magazine top down, then (swapped in when loaded is empty) the previous one,
    /// then the depot's last magazine. Reads no more than `count` of them (it runs before
    /// every imported allocation).
    func nextPops(cpu: Int, count: Int) -> [UInt64] {
        var pops: [UInt64] = []
        let magazines = (cpu < cpus.count ? [cpus[cpu].loaded, cpus[cpu].previous] : []) + (depot.last.map { [$0] } ?? [])
        for magazine in magazines {
            for pfn in magazine.pfns.reversed() {
                guard pops.count < count else { return pops }
                pops.append(pfn)
            }
        }
        return pops
    }
}
