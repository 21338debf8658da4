/// Granule arithmetic as `include/linux/iova.h` spells it. `granuleBytes` is always a
/// power of two (checked where an IOMMU is declared).
@usableFromInline
struct Granule: Sendable, Hashable {
    let bytes: UInt64
    let shift: UInt64

    init(bytes: UInt64) {
        precondition(bytes.nonzeroBitCount == 1, "granule must be a power of two")
        self.bytes = bytes
        self.shift = UInt64(bytes.trailingZeroBitCount)
    }

    var mask: UInt64 { bytes - 1 }
    /// `iova_offset()`: the byte offset inside the granule.
    func offset(_ x: UInt64) -> UInt64 { x & mask }
    /// `iova_align()`: round up to a granule multiple.
    func alignUp(_ x: UInt64) -> UInt64 { (x &+ mask) & ~mask }
    func alignDown(_ x: UInt64) -> UInt64 { x & ~mask }
    func isAligned(_ x: UInt64) -> Bool { x & mask == 0 }
    /// `iova_pfn()`.
    func pfn(_ x: UInt64) -> UInt64 { x >> shift }
    func address(ofPfn pfn: UInt64) -> UInt64 { pfn << shift }
}

extension UInt64 {
    /// `DMA_BIT_MASK(n)`.
    static func dmaBitMask(_ bits: Int) -> UInt64 {
        bits >= 64 ? .max : (UInt64(1) << UInt64(bits)) - 1
    }
}
