/// The `ops` table's columns (schema/001-journal.sql), in order.
enum OpsColumn: Int32, TableColumn {
    case seq = 1, kind, device, handle, offset, length, phys, address, dir, attrs, fill, sourceLine
    case status, errno, outAddress, digest, faultKind, faultAddress

    static let table = "ops"
}
