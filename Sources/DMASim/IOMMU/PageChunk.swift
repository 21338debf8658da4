/// One `map_pages` call of `__iommu_map_domain_pgtbl()`: `pageCount` pages of
/// `pageBytes` from `iova` and `phys`, as `iommu_pgsize()` picked them.
struct PageChunk {
    let iova: UInt64
    let phys: UInt64
    let pageBytes: UInt64
    let pageCount: UInt64
    /// log2 of the granules per page.
    let pageShift: UInt8

    init(iova: UInt64, phys: UInt64, pageSizes: UInt64, remainingBytes: UInt64, granule: Granule) {
        let (pageBytes, count) = PageSizes.pageSize(bitmap: pageSizes, iova: iova, paddr: phys, sizeBytes: remainingBytes)
        self.iova = iova
        self.phys = phys
        self.pageBytes = pageBytes
        self.pageCount = count
        pageShift = UInt8(UInt64(pageBytes.trailingZeroBitCount) - granule.shift)
    }

    /// The chunk's bytes (at most what remained to map, so no overflow).
    var bytes: UInt64 { pageBytes * pageCount }
    /// The last IOVA and physical byte, nil when the chunk runs past 2^64.
    var lastIOVA: UInt64? { AddressRange(start: iova, length: bytes)?.last }
    var lastPhys: UInt64? { AddressRange(start: phys, length: bytes)?.last }
}
