/// The `topology` table's columns (schema/001-journal.sql), in order.
enum TopologyColumn: Int32, TableColumn {
    case seq = 1, kind, name, base, sizeBytes, regionKind
    case mode, granuleBytes, apertureBits, needsSyncMap, fqSlots, forceDac, reserved
    case iommu, dmaBits, coherent, untrusted, bus, iommuGroup, force
    /// schema/010: `dma_set_min_align_mask()`; NULL in journals from before it (0).
    case minAlignMask

    static let table = "topology"
}
