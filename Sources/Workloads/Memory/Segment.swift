import DMASim

/// One physically contiguous piece of a request's buffer: where it sits in memory, where
/// it sits in the request's IOVA range, and the fill its data is written with.
struct Segment: Sendable, Hashable {
    /// Offset in the request's IOVA range (`dma_iova_link`'s `offset`).
    var offset: UInt64
    var phys: UInt64
    var length: UInt64
    /// `DMA_ATTR_MMIO` for a peer BAR, else none.
    var attributes: DMAAttributes
    /// The seed of the data the request moves through this segment.
    var fillSeed: UInt64
}

/// One `dma_iova_link` call: a segment, or one page of it where the driver links page by
/// page (mlx5 `register_dma_pages`).
struct LinkPiece: Sendable, Hashable {
    var offset: UInt64
    var phys: UInt64
    var length: UInt64
    var direction: DMADirection
    var attributes: DMAAttributes
}
