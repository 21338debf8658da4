/// Buffers that start and end on 512-byte sectors inside a page: O_DIRECT I/O from a
/// sector-aligned user buffer. NVMe's virt boundary (`NVME_CTRL_PAGE_SIZE - 1`) lets only
/// the first segment start, and only the last end, off a page boundary, which keeps every
/// IOVA link after the first granule aligned (`dma_iova_link()` refuses a later link
/// with an in-granule `phys`, -EIO).
extension RequestBuffer {
    static let sectorBytes: UInt64 = 512

    /// Moves the first segment's start forward and the last segment's end back by whole
    /// sectors (less than `within` bytes each, at least one sector left), then lays the
    /// IOVA offsets out again. For an untrusted device dma-iommu bounces both ends
    /// (`iommu_dma_iova_link_swiotlb()`: the head and tail granules through
    /// `swiotlb_tbl_map_single()`, the middle linked in place). The slot keeps only the
    /// bits of the start that `dma_get_min_align_mask()` names, so a driver's buffers
    /// start inside that much of a granule (`within`: the mask + 1, at most a unit);
    /// further in, the slot's granule cannot be linked (-ENXIO).
    mutating func cutToSectors(within limit: UInt64, _ context: TrafficContext) {
        let sectorsPerUnit = limit / Self.sectorBytes
        let head = context.random.below(sectorsPerUnit) * Self.sectorBytes
        segments[0].phys += head
        segments[0].length -= head
        let last = segments.count - 1
        let tail = min(context.random.below(sectorsPerUnit) * Self.sectorBytes, segments[last].length - Self.sectorBytes)
        segments[last].length -= tail
        var offset: UInt64 = 0
        for index in segments.indices {
            segments[index].offset = offset
            offset += segments[index].length
        }
    }
}
