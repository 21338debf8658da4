/// The bus a device sits on; PCI devices get the kernel's 32-bit-first IOVA workaround.
public enum DeviceBus: String, Sendable, CaseIterable, Hashable {
    /// A PCI device.
    case pci
    /// A platform device.
    case platform
}

/// `device NAME iommu=… dma-bits=… coherent|noncoherent [untrusted|untrusted-at-probe]
/// [bus=…] [group=…] [min-align-mask=N]`.
public struct DeviceSpec: Sendable, Hashable {
    /// The name ops call the device by.
    public var name: String
    /// The IOMMU the device sits behind; nil for `iommu=none` (dma-direct).
    public var iommu: String?
    /// `dma_set_mask(dev, DMA_BIT_MASK(bits))`.
    public var dmaBits: Int
    /// `dev_is_dma_coherent()`: no CPU cache maintenance needed.
    public var coherent: Bool
    /// `pci_dev->untrusted` (external-facing ports): partial granules are bounced.
    public var untrusted: Bool
    /// `untrusted-at-probe`: `pci_dev->untrusted` was set by the driver's probe, after
    /// `iommu_probe_device()` gave the group its default domain, so
    /// `iommu_get_default_domain_type()` never saw it and the domain keeps the IOMMU's
    /// mode (DMA-FQ on a lazy one); dma-iommu bounces for it all the same
    /// (`dev_use_swiotlb()` reads the flag at each map). The lab's `edu_iova` and the
    /// oracle's module mark their device this way (the lab runs of 7.3.4, fixtures/scripts/lab/).
    /// Implies `untrusted`.
    public var untrustedAtProbe: Bool
    /// The bus it sits on.
    public var bus: DeviceBus
    /// Devices naming the same group on the same IOMMU share one DMA domain (one IOVA
    /// space and page table), as functions of one IOMMU group do. Nil: a group of its own.
    public var group: String?
    /// `dma_set_min_align_mask(dev, mask)`: the low address bits a swiotlb bounce must
    /// keep (`swiotlb_align_offset()`). 0 unless the driver sets it (NVMe: 0xfff,
    /// `NVME_CTRL_PAGE_SIZE - 1`); with 0 an untrusted device's unaligned link fails and
    /// its `dma_map_phys` address loses the in-page offset (the lab runs of 7.3.4, fixtures/scripts/lab/).
    public var minAlignMask: UInt64

    /// A device as its `device` line declares it; unset keys take the script's defaults.
    public init(
        name: String, iommu: String?, dmaBits: Int = 64, coherent: Bool = true, untrusted: Bool = false,
        bus: DeviceBus = .pci, group: String? = nil, minAlignMask: UInt64 = 0, untrustedAtProbe: Bool = false
    ) {
        self.name = name; self.iommu = iommu; self.dmaBits = dmaBits; self.coherent = coherent
        self.untrusted = untrusted || untrustedAtProbe; self.bus = bus; self.group = group; self.minAlignMask = minAlignMask
        self.untrustedAtProbe = untrustedAtProbe
    }

    /// What `dma_set_min_align_mask()` can be given: an `unsigned int` of low bits.
    public static func isValidMinAlignMask(_ mask: UInt64) -> Bool {
        mask <= UInt64(UInt32.max) && mask & (mask &+ 1) == 0
    }

    /// `dev_is_untrusted()`: `dev_is_pci(dev) && to_pci_dev(dev)->untrusted`. Only a PCI
    /// device can be untrusted; the flag on a platform device means nothing.
    public var isUntrusted: Bool { untrusted && bus == .pci }

    /// Whether `iommu_get_default_domain_type()` saw the device untrusted when its group's
    /// default domain was chosen: then the group gets `IOMMU_DOMAIN_DMA` whatever the default.
    public var forcesDMADomain: Bool { isUntrusted && !untrustedAtProbe }

    /// `dma_get_mask(dev)`.
    public var dmaMask: UInt64 { .dmaBitMask(dmaBits) }
}

/// `swiotlb size=… [force]`: the bounce pool. It lives at `base` in its own RAM region.
/// `swiotlb noforce` (`swiotlb=noforce`, size 0): no pool at all, even where the kernel
/// would make one.
public struct SwiotlbSpec: Sendable, Hashable {
    /// 0 for `noforce`.
    public var sizeBytes: UInt64
    /// Physical base of the pool (default just above 16 MiB, inside the low 4 GiB).
    public var base: UInt64
    /// `swiotlb=force`: dma-direct bounces every mapping.
    public var force: Bool

    /// Where a pool declared without `base=` starts.
    public static let defaultBase: UInt64 = 0x0100_0000

    /// A pool of `sizeBytes` at `base`, forced or not.
    public init(sizeBytes: UInt64, base: UInt64 = SwiotlbSpec.defaultBase, force: Bool = false) {
        self.sizeBytes = sizeBytes; self.base = base; self.force = force
    }

    /// `swiotlb=noforce`: no bounce buffering at all.
    public static let noForce = SwiotlbSpec(sizeBytes: 0)

    /// The pool is `noforce`: no bounce buffering.
    public var isNoForce: Bool { sizeBytes == 0 }

    /// `CONFIG_SWIOTLB_DEFAULT_SIZE_MB` of the lab's (Debian's) kernel: 64 MiB.
    public static let defaultSizeBytes: UInt64 = 64 << 20
}
