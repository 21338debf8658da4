/// The bytes arm64 cache maintenance really covers for `arch_sync_dma_for_{device,cpu}(phys,
/// size)`. Its loops (`dcache_by_myline_op_nosync` in arch/arm64/include/asm/assembler.h,
/// and `dcache_inval_poc` in arch/arm64/mm/cache.S, which has the same shape) maintain
/// the line at `start`, step a line, and go on while `start < end` — `end` being
/// `start + size`, computed without a check. A size that carries `end` past 2^64 makes it
/// small: the loop does the first line and stops. Any other range is itself; what it
/// costs is the lines the cache holds in it (`CPUCache+Maintenance`), not its length.
struct CacheLineSpan: Hashable {
    let phys: UInt64
    let length: UInt64

    init(phys: UInt64, length: UInt64) {
        if AddressRange(start: phys, length: length) != nil {
            self.phys = phys
            self.length = length
        } else {
            let lineMask = UInt64(CPUCache.lineBytes - 1)
            self.phys = phys & ~lineMask
            self.length = UInt64(CPUCache.lineBytes)
        }
    }
}
