/// The `topology` table's columns (schema/001-journal.sql, plus the machine's from 008),
/// in order.
enum TopologyColumn: Int32, TableColumn {
    case seq = 1, kind, name, base, sizeBytes, regionKind
    case mode, granuleBytes, apertureBits, needsSyncMap, fqSlots, forceDac, reserved
    case iommu, dmaBits, coherent, untrusted, bus, iommuGroup, force
    /// Schema 8: the `machine` line.
    case arch, kernel, cpus, hz
    /// Schema 9: the machine's `dma-debug=` and `tick-phase=`.
    case dmaDebug, tickPhaseNs
    /// schema/010: `dma_set_min_align_mask()`; NULL in journals from before it (0).
    case minAlignMask
    /// Schema 11 (issue 15): an IOMMU's pgsize_bitmap.
    case pageSizes
    /// schema/015: the IOMMU's `fq-timer=` (`kernel` or `explicit`; NULL before it: kernel).
    case fqTimer

    static let table = "topology"
}
