#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// errno as a reader knows it: `EBUSY (Device or resource busy)`.
enum Errno {
    static func name(_ code: Int32) -> String {
        let symbol: String
        switch code {
        case EPERM: symbol = "EPERM"
        case ENOENT: symbol = "ENOENT"
        case EIO: symbol = "EIO"
        case E2BIG: symbol = "E2BIG"
        case ENOMEM: symbol = "ENOMEM"
        case EACCES: symbol = "EACCES"
        case EBUSY: symbol = "EBUSY"
        case EEXIST: symbol = "EEXIST"
        case ENODEV: symbol = "ENODEV"
        case ENOTDIR: symbol = "ENOTDIR"
        case EINVAL: symbol = "EINVAL"
        case ENOSPC: symbol = "ENOSPC"
        case EROFS: symbol = "EROFS"
        case EAGAIN: symbol = "EAGAIN"
        case ENOTEMPTY: symbol = "ENOTEMPTY"
        default: symbol = "errno \(code)"
        }
        return "\(symbol) (\(String(cString: strerror(code))))"
    }
}
