import DMASim

/// Errno numbers as x86-64 Linux spells them (include/uapi/asm-generic/errno-base.h,
/// errno.h): the kernel side reports numbers, the model names.
enum KernelErrno {
    static let names: [Int: String] = [
        1: "EPERM", 2: "ENOENT", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 12: "ENOMEM", 14: "EFAULT",
        16: "EBUSY", 17: "EEXIST", 19: "ENODEV", 22: "EINVAL", 28: "ENOSPC", 34: "ERANGE",
        95: "EOPNOTSUPP", 98: "EADDRINUSE", 110: "ETIMEDOUT",
    ]

    static func name(_ number: Int) -> String { names[number] ?? "errno \(number)" }
}
