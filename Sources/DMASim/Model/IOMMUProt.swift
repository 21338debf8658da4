/// Page-table protection bits (include/linux/iommu.h): `IOMMU_READ` = 1 << 0 …
/// `IOMMU_PRIV` = 1 << 5.
public struct IOMMUProt: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `IOMMU_READ`: the device may read.
    public static let read = IOMMUProt(rawValue: 1 << 0)
    /// `IOMMU_WRITE`: the device may write.
    public static let write = IOMMUProt(rawValue: 1 << 1)
    /// `IOMMU_CACHE`: the access snoops the CPU caches (coherent).
    public static let cache = IOMMUProt(rawValue: 1 << 2)
    /// `IOMMU_NOEXEC`.
    public static let noexec = IOMMUProt(rawValue: 1 << 3)
    /// `IOMMU_MMIO`: the range is MMIO.
    public static let mmio = IOMMUProt(rawValue: 1 << 4)
    /// `IOMMU_PRIV`: privileged accesses only.
    public static let priv = IOMMUProt(rawValue: 1 << 5)

    /// `dma_info_to_prot()` (drivers/iommu/dma-iommu.c): `IOMMU_CACHE` for a coherent
    /// device (`IOMMU_MMIO` instead under `DMA_ATTR_MMIO`, 6.18+), `IOMMU_PRIV` under
    /// `DMA_ATTR_PRIVILEGED`, then READ/WRITE by direction. `DMA_NONE` returns 0 outright,
    /// dropping the base bits too, exactly as the kernel's `default:` case does.
    public init(direction: DMADirection, coherent: Bool, attributes: DMAAttributes) {
        var prot: IOMMUProt = attributes.contains(.mmio) ? .mmio : (coherent ? .cache : [])
        if attributes.contains(.privileged) { prot.insert(.priv) }
        switch direction {
        case .bidirectional: self = prot.union([.read, .write])
        case .toDevice: self = prot.union(.read)
        case .fromDevice: self = prot.union(.write)
        case .none: self = []
        }
    }

    /// Short spelling for reports: `rw-c`, `r---`, `-w--`, with `m` for MMIO and `p` for PRIV.
    public var shortDescription: String {
        var text = ""
        text += contains(.read) ? "r" : "-"
        text += contains(.write) ? "w" : "-"
        text += contains(.cache) ? "c" : (contains(.mmio) ? "m" : "-")
        text += contains(.priv) ? "p" : "-"
        return text
    }
}
