/// Why the IOMMU (or the bus) refused a device access.
public enum FaultKind: String, Sendable, CaseIterable, Hashable {
    /// No valid translation: never linked, unlinked, or destroyed with the IOTLB flushed.
    case notPresent = "not-present"
    /// The PTE lacks READ (for a device read) or WRITE (for a device write).
    case permission
    /// Linked but not yet covered by `dma_iova_sync` on a `needs-sync-map` IOMMU.
    case notSynced = "not-synced"
    /// The translated (or direct) physical address is in no region: a master abort.
    case busError = "bus-error"
}

/// An IOMMU fault, as a driver's fault handler would report it.
public struct Fault: Sendable, Hashable {
    /// What kind of fault (no translation, permission, bus error …).
    public var kind: FaultKind
    /// The device-side address of the first byte that could not be translated.
    public var address: UInt64
    /// The access was a write (false: a read).
    public var isWrite: Bool
    /// A fault of `kind` at `address`.
    public init(kind: FaultKind, address: UInt64, isWrite: Bool) {
        self.kind = kind; self.address = address; self.isWrite = isWrite
    }
}
