/// What one data access may cost. The engine stores every byte a write puts in memory
/// and hashes every byte a read returns, so an access's cost is its length: a
/// `cpu-write len=1T` would take a terabyte of memory. Accesses are refused, with the
/// limit named, above `accessLimitBytes` — 1 GiB, the largest block PTE, so any one
/// mapping's page can still be touched whole by one access. Cache maintenance and page
/// table work are not limited this way: they cost what the cache and the page table
/// hold, whatever the range (`CPUCache+Maintenance`, `IOPageTable`).
extension Engine {
    /// The most bytes one `cpu-read`, `cpu-write`, `dev-read` or `dev-write` moves.
    public static let accessLimitBytes: UInt64 = 1 << 30

    /// Why a CPU access of `length` bytes cannot run, if it cannot.
    func cpuAccessRejection(_ verb: String, length: UInt64) -> Outcome? {
        guard length > Self.accessLimitBytes else { return nil }
        return .rejected("\(verb) of 0x\(hex(length)) bytes: one access moves at most 0x\(hex(Self.accessLimitBytes)) bytes (1 GiB), since the simulator stores every byte written and hashes every byte read")
    }

    /// Why a device access cannot run. An access whose device address range wraps past
    /// 2^64 runs: `DMA_MAPPING_ERROR` is 2^64 − 1, and a device using it must fault
    /// (bus error, or not-present through the IOMMU) at its first byte.
    func deviceAccessRejection(_ verb: String, length: UInt64) -> RejectReason? {
        guard case .rejected(let reason)? = cpuAccessRejection(verb, length: length)?.status else { return nil }
        return RejectReason(reason)
    }
}
