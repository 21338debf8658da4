/// A declared device and what the kernel keeps per device (`dev->iommu`).
final class DeviceRuntime {
    let spec: DeviceSpec
    /// The DMA domain when the device is behind a translating IOMMU; nil for dma-direct
    /// (`iommu=none`, or a passthrough identity domain).
    let domain: DMADomain?
    /// `dev->iommu->pci_32bit_workaround`: PCI devices try below 4 GiB first until that
    /// fails once (unless `iommu.forcedac`).
    @exclusivity(unchecked) var pci32BitWorkaround: Bool
    /// Set by the first `detach`: a driver was released from the device at least once. It
    /// rejects nothing: the device, its DMA domain and dma-debug's entries outlive the
    /// driver (`__device_release_driver()` only notifies; `dma_debug_device_change()`
    /// reports and reclaims nothing), and a later op naming the device is a driver bound
    /// to it again. Kept for `state` and the engine state's bytes.
    @exclusivity(unchecked) var driverWasReleased = false
    /// `dev->dma_skip_sync`: set from the device's coherence when its DMA ops are set up
    /// (`dma_setup_need_sync()`), cleared for good by its first swiotlb bounce
    /// (`swiotlb_tbl_map_single()` → `dma_reset_need_sync()`).
    @exclusivity(unchecked) var skipsSync: Bool

    init(spec: DeviceSpec, domain: DMADomain?, forceDAC: Bool) {
        self.spec = spec
        self.domain = domain
        self.pci32BitWorkaround = spec.bus == .pci && !forceDAC
        self.skipsSync = spec.coherent
    }

    /// `dma_need_unmap(dev)` (kernel/dma/mapping.c): false only for a dma-direct device that
    /// skips syncs, and only when dma-debug is not built in: then a driver may map and never
    /// unmap (NVMe's PRP path, `nvme_pci_prp_save_mapping()`).
    func needsUnmap(dmaDebug: Bool) -> Bool {
        domain != nil || !skipsSync || dmaDebug
    }

    /// `use_dma_iommu(dev)`.
    var usesDMAIOMMU: Bool { domain != nil }
}
