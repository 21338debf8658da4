/// An on-demand-paging memory region (`ib_umem_odp_get` → `hmm_dma_map_alloc`):
/// 16 MiB to 4 GiB of virtual address space, at most a sixteenth of the device's DMA
/// space, of which at most `maxLinkedPages` (and a quarter) are faulted in at once —
/// sparse and long-lived. Each region lives for 256 to 8192 faults, accesses and invalidations.
enum ODPShape {
    static let minRegionBytes: UInt64 = 16 << 20
    static let maxRegionBytes: UInt64 = 4 << 30
    static let maxLinkedPages = 512
    static let lifetimeActions = 256...8192

    /// Of the actions on a region with room for more pages: faults, then accesses; the
    /// rest are invalidations (mmu notifier: reclaim, migration, munmap).
    static let faultShare = 0.35
    static let accessShare = 0.45

    /// Pages of `unit` bytes in a new region for `device`.
    static func pageCount(for device: DeviceProfile, _ random: inout WorkloadRandom) -> Int {
        let limit = min(maxRegionBytes, (device.spec.dmaMask / 16) + 1)
        let bytes = UInt64(random.logUniform(Int(minRegionBytes >> 20)...Int(max(minRegionBytes, limit) >> 20))) << 20
        return Int(bytes / device.unitBytes)
    }
}
