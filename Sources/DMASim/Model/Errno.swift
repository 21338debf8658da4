/// The errno values the modelled kernel calls can return. A simulated `-EIO` is data in
/// an `Outcome`, never a Swift `throw`.
public enum Errno: String, Sendable, CaseIterable, Hashable {
    case EPERM, EIO, ENXIO, ENOMEM, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, ERANGE, EOPNOTSUPP, EADDRINUSE

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
