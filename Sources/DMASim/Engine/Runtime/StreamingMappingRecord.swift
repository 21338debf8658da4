/// One streaming mapping (`dma_map_phys`), with what dma-debug keeps in its
/// `dma_debug_entry`: device, address, size, direction, and whether the map error was
/// checked.
struct StreamingMappingRecord {
    enum Life: Hashable {
        case mapped
        /// The map returned `DMA_MAPPING_ERROR`.
        case failed
        case unmapped
    }

    let handle: String
    let device: String
    /// Which record came first: `detach` reports leaks in the order the mappings were made.
    let serial: Int
    /// The DMA address returned (`DMA_MAPPING_ERROR` = ~0 when failed).
    var dmaAddress: UInt64
    let phys: UInt64
    let length: UInt64
    let direction: DMADirection
    let attributes: DMAAttributes
    var life: Life
    /// `map_err_type`: CHECKED once `dma_mapping_error()` looked at it.
    var errorChecked = false
    /// Whether the mapping went through the IOMMU (else dma-direct).
    let throughIOMMU: Bool
    /// The swiotlb bounce address the device uses instead of `phys`, when bounced.
    var bounceAddress: UInt64?
    /// Checker: this mapping's entry in the ownership map while it is mapped.
    var ownershipID: Int?
    /// Whether the checker tracks it (dma-debug's entry, ownership, a leak at detach). Not
    /// when `dma_need_unmap()` was false at map time: the driver may never unmap it, and a
    /// kernel without dma-debug keeps no record of it.
    var tracked = true
    /// dma-debug still holds this mapping's entry (`Engine.dmaDebugEntries`): from the
    /// map until the unmap that dma-debug matches to it, which a stale handle's unmap of
    /// the same address may be.
    var hasDebugEntry = false

    static let mappingErrorAddress = UInt64.max

    init(handle: String, device: String, serial: Int, dmaAddress: UInt64, phys: UInt64, length: UInt64,
         direction: DMADirection, attributes: DMAAttributes, life: Life, throughIOMMU: Bool) {
        self.handle = handle; self.device = device; self.serial = serial; self.dmaAddress = dmaAddress; self.phys = phys
        self.length = length; self.direction = direction; self.attributes = attributes; self.life = life
        self.throughIOMMU = throughIOMMU
    }
}
