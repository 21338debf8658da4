/// A declared device and what the kernel keeps per device (`dev->iommu`).
final class DeviceRuntime {
    let spec: DeviceSpec
    /// The DMA domain when the device is behind a translating IOMMU; nil for dma-direct
    /// (`iommu=none`, or a passthrough identity domain).
    let domain: DMADomain?
    /// `dev->iommu->pci_32bit_workaround`: PCI devices try below 4 GiB first until that
    /// fails once (unless `iommu.forcedac`).
    var pci32BitWorkaround: Bool
    /// Set by `detach`; later ops on the device are rejected.
    var isDetached = false

    init(spec: DeviceSpec, domain: DMADomain?, forceDAC: Bool) {
        self.spec = spec
        self.domain = domain
        self.pci32BitWorkaround = spec.bus == .pci && !forceDAC
    }

    /// `use_dma_iommu(dev)`.
    var usesDMAIOMMU: Bool { domain != nil }
}
