/// The `ops` table's columns (schema/001-journal.sql, plus `claims` from 005 and `cpu`,
/// `time_ns` from 008), in order.
enum OpsColumn: Int32, TableColumn {
    case seq = 1, kind, device, handle, offset, length, phys, address, dir, attrs, fill, sourceLine
    case status, errno, outAddress, digest, faultKind, faultAddress
    /// Schema 5: the `=>` text the op was recorded with.
    case claims
    /// Schema 8: the CPU the op ran on, and its time in nanoseconds (NULL: none given).
    case cpu, timeNs

    static let table = "ops"
}
