/// One `dma_iova_link` call in progress: the call and what it runs against.
struct TwoStepLink {
    let call: LinkOp
    /// Index of the state record.
    let state: Int
    let device: DeviceRuntime
    let domain: DMADomain
}

/// One range `__dma_iova_link()` maps: the whole link, or the head, middle or tail of
/// one split by `iommu_dma_iova_link_swiotlb()`.
struct LinkPiece {
    /// Granule-aligned IOVA, physical address (the bounce slot's granule for a bounced
    /// piece) and size the page table gets.
    var iova: UInt64
    var phys: UInt64
    var sizeBytes: UInt64
    /// The caller's bytes this piece carries.
    var buffer: Range<UInt64>
    /// The physical side is a swiotlb slot.
    var bounced: Bool
}
