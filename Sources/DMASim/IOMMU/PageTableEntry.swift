/// One leaf PTE of the simulated I/O page table, packed in 64 bits: the page-aligned
/// physical address in the high bits, flags in the low 12 (a page is at least a 4 KiB
/// granule, so those bits of the address are always zero). A block PTE is the same word;
/// the page size is where it sits (`PageRun.pageShift`).
struct PageTableEntry: Hashable {
    private static let presentBit: UInt64 = 1 << 0
    /// Reached the hardware: set at once, or by `iotlb_sync_map` on needs-sync-map IOMMUs.
    private static let visibleBit: UInt64 = 1 << 1
    private static let protShift: UInt64 = 2
    private static let addressMask: UInt64 = ~0xFFF

    let raw: UInt64

    static let absent = PageTableEntry(raw: 0)

    init(raw: UInt64) { self.raw = raw }

    init(phys: UInt64, prot: IOMMUProt, visible: Bool) {
        precondition(phys & ~Self.addressMask == 0, "PTE address must be 4 KiB aligned")
        raw = phys | Self.presentBit | (visible ? Self.visibleBit : 0) | (UInt64(prot.rawValue) << Self.protShift)
    }

    var isPresent: Bool { raw & Self.presentBit != 0 }
    var isVisible: Bool { raw & Self.visibleBit != 0 }
    var phys: UInt64 { raw & Self.addressMask }
    var prot: IOMMUProt { IOMMUProt(rawValue: UInt8(truncatingIfNeeded: raw >> Self.protShift) & 0x3F) }

    func madeVisible() -> PageTableEntry { PageTableEntry(raw: raw | Self.visibleBit) }

    /// The same flags over the physical address `bytes` further on (a page-multiple).
    func advanced(byBytes bytes: UInt64) -> PageTableEntry { PageTableEntry(raw: raw &+ bytes) }

    /// Whether both map the same physical address with the same permissions (what a
    /// device sees; visibility aside).
    func translatesLike(_ other: PageTableEntry) -> Bool {
        phys == other.phys && prot == other.prot && isPresent == other.isPresent
    }
}
