/// The `topology` table's columns (schema/001-journal.sql), in order.
enum TopologyColumn: Int32, TableColumn {
    case seq = 1, kind, name, base, sizeBytes, regionKind
    case mode, granuleBytes, apertureBits, needsSyncMap, fqSlots, forceDac, reserved
    case iommu, dmaBits, coherent, untrusted, bus, iommuGroup, force
    /// Schema 11 (issue 15): an IOMMU's pgsize_bitmap.
    case pageSizes

    static let table = "topology"

    /// `selectList` for a journal at `schemaVersion`: a column added after it reads as NULL.
    static func selectList(schemaVersion: Int) -> String {
        allCases.map { $0 == .pageSizes && schemaVersion < 11 ? "NULL" : "\(table).\($0.name)" }.joined(separator: ", ")
    }
}
