/// One leaf PTE of the simulated I/O page table, packed in 64 bits: the granule-aligned
/// physical address in the high bits, flags in the low 12 (a granule is at least 4 KiB,
/// so those bits of the address are always zero).
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
}
