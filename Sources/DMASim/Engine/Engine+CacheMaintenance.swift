/// CPU cache maintenance for non-coherent devices: the one place a `cache-clean` or
/// `cache-invalidate` event is both applied to the cache model and reported.
extension Engine {
    /// `arch_sync_dma_for_device()`. arm64 cleans (`dcache_clean_poc`) whatever the
    /// direction (arch/arm64/mm/dma-mapping.c).
    func archSyncForDevice(phys: UInt64, length: UInt64, into outcome: inout Outcome) {
        guard length > 0 else { return }
        let lines = CacheLineSpan(phys: phys, length: length)
        cache?.clean(phys: lines.phys, length: lines.length)
        outcome.events.append(SideEvent(.cacheClean, address: phys, length: length))
    }

    /// `arch_sync_dma_for_cpu()`. arm64 returns at once for `DMA_TO_DEVICE` (the device
    /// only read) and otherwise invalidates (`dcache_inval_poc`).
    func archSyncForCPU(phys: UInt64, length: UInt64, direction: DMADirection, into outcome: inout Outcome) {
        guard length > 0, direction != .toDevice else { return }
        let lines = CacheLineSpan(phys: phys, length: length)
        cache?.invalidate(phys: lines.phys, length: lines.length)
        outcome.events.append(SideEvent(.cacheInvalidate, address: phys, length: length))
    }

    /// The clean a map or link does: only for a non-coherent device, and not under
    /// `DMA_ATTR_SKIP_CPU_SYNC` or `DMA_ATTR_MMIO`.
    func syncForDeviceIfNeeded(_ device: DeviceRuntime, phys: UInt64, length: UInt64, attributes: DMAAttributes,
                               into outcome: inout Outcome) {
        guard !device.spec.coherent, !attributes.skipsCacheMaintenance else { return }
        archSyncForDevice(phys: phys, length: length, into: &outcome)
    }

    /// The invalidate an unmap or unlink does, on the same conditions.
    func syncForCPUIfNeeded(_ device: DeviceRuntime, phys: UInt64, length: UInt64, direction: DMADirection,
                            attributes: DMAAttributes, into outcome: inout Outcome) {
        guard !device.spec.coherent, !attributes.skipsCacheMaintenance else { return }
        archSyncForCPU(phys: phys, length: length, direction: direction, into: &outcome)
    }
}

extension DMAAttributes {
    /// `SKIP_CPU_SYNC` or `MMIO`: no cache maintenance at map, link, unmap or unlink.
    var skipsCacheMaintenance: Bool { contains(.skipCPUSync) || contains(.mmio) }

    /// `MMIO` or `REQUIRE_COHERENT`: a call that would have to bounce fails instead
    /// (-EPERM from `dma_iova_link`, `DMA_MAPPING_ERROR` from `dma_map_phys`), and the
    /// unmap skips the sync and swiotlb entirely.
    var refusesBounce: Bool { contains(.mmio) || contains(.requireCoherent) }
}
