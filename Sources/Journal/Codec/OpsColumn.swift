/// The `ops` table's columns (schema/001-journal.sql, plus `claims` from 005), in order.
enum OpsColumn: Int32, TableColumn {
    case seq = 1, kind, device, handle, offset, length, phys, address, dir, attrs, fill, sourceLine
    case status, errno, outAddress, digest, faultKind, faultAddress
    /// Schema 5: the `=>` text the op was recorded with.
    case claims

    static let table = "ops"
}
