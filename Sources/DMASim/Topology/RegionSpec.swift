/// What a physical memory region is, as the kernel sees it.
public enum RegionKind: String, Sendable, CaseIterable, Hashable {
    /// Ordinary RAM with a memmap (`struct page` exists), in the kernel's direct map.
    case ram
    /// A large shared region with no `struct page` (cluster memory, Xen guest memory,
    /// GPU memory, RAM above `mem=`): the reason the two-step API exists. Not in the
    /// direct map.
    case shared
    /// Device memory reached peer to peer (a BAR); linked with `DMA_ATTR_MMIO`. Not in
    /// the direct map.
    case mmio

    /// Whether the kernel's linear map covers the region, so `phys_to_virt()` of an
    /// address in it is a valid pointer. Only RAM the kernel owns is mapped there: with
    /// `mem=768M`, `lookup_address(__va(0x38000000))` finds an empty PMD
    /// (the lab runs of 7.3.4, fixtures/scripts/lab/), and so does any BAR.
    public var isDirectMapped: Bool { self == .ram }
}

/// `region NAME base=… size=… kind=…`.
public struct RegionSpec: Sendable, Hashable {
    /// The name the region is reported by.
    public var name: String
    /// Its first physical address.
    public var base: UInt64
    /// Its size in bytes.
    public var sizeBytes: UInt64
    /// What kind of memory it is.
    public var kind: RegionKind

    /// A region as its `region` line declares it.
    public init(name: String, base: UInt64, sizeBytes: UInt64, kind: RegionKind) {
        self.name = name; self.base = base; self.sizeBytes = sizeBytes; self.kind = kind
    }

    /// One past the last byte; nil when the region would wrap the 64-bit space.
    public var end: UInt64? {
        let (sum, overflow) = base.addingReportingOverflow(sizeBytes)
        return overflow ? nil : sum
    }
}
