/// Where a function's integer arguments are at its first instruction, for kprobe events
/// on kernels without fprobe events or BTF: the calling convention's argument registers,
/// in tracefs's register names (`regs_query_register_offset()`), then `$argN` (the
/// kernel's `regs_get_kernel_argument()`, which also reads stack arguments).
public struct ArgumentRegisters: Equatable, Sendable {
    /// The `uname -m` name: `x86_64`, `aarch64`.
    public let machine: String
    /// Argument 1, 2, … in order.
    public let registers: [String]

    /// System V AMD64: rdi, rsi, rdx, rcx, r8, r9; the seventh is on the stack.
    public static let x86_64 = ArgumentRegisters(machine: "x86_64", registers: ["%di", "%si", "%dx", "%cx", "%r8", "%r9"])
    /// AAPCS64: x0-x7.
    public static let arm64 = ArgumentRegisters(machine: "aarch64", registers: (0..<8).map { "%x\($0)" })

    /// The registers of a `uname -m` machine; nil for one this tool has no table for.
    public static func of(machine: String) -> ArgumentRegisters? {
        switch machine {
        case "x86_64": return .x86_64
        case "aarch64", "arm64": return .arm64
        default: return nil
        }
    }

    /// Argument `number` (from 1) at function entry.
    func argument(_ number: Int) -> String {
        number <= registers.count ? registers[number - 1] : "$arg\(number)"
    }
}
