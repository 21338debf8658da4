/// The errno values the modelled kernel calls can return. A simulated `-EIO` is data in
/// an `Outcome`, never a Swift `throw`.
public enum Errno: String, Sendable, CaseIterable, Hashable {
    /// Operation not permitted.
    case EPERM
    /// I/O error.
    case EIO
    /// No such device or address.
    case ENXIO
    /// Out of memory (of IOVA space, page tables, bounce slots).
    case ENOMEM
    /// Bad address.
    case EFAULT
    /// Device or resource busy.
    case EBUSY
    /// Already exists (a page already mapped).
    case EEXIST
    /// No such device.
    case ENODEV
    /// Invalid argument.
    case EINVAL
    /// Out of range.
    case ERANGE
    /// Not supported.
    case EOPNOTSUPP
    /// Address already in use.
    case EADDRINUSE

    /// The value from include/uapi/asm-generic/errno-base.h and errno.h.
    public var number: Int32 {
        switch self {
        case .EPERM: return 1
        case .EIO: return 5
        case .ENXIO: return 6
        case .ENOMEM: return 12
        case .EFAULT: return 14
        case .EBUSY: return 16
        case .EEXIST: return 17
        case .ENODEV: return 19
        case .EINVAL: return 22
        case .ERANGE: return 34
        case .EOPNOTSUPP: return 95
        case .EADDRINUSE: return 98
        }
    }
}
