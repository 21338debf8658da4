/// A byte range `[start, start + length)` that fits the 64-bit address space: its last
/// byte is at most 2^64 − 1. Ops carry addresses and lengths straight from scripts,
/// imported kernel logs and journal rows, so any of them may be near 2^64; Swift traps
/// on overflow, so every sum of an address and a length the engine does not know to fit
/// goes through here first, and a range that wraps is handled as the kernel handles it
/// (an errno, a WARN, its own wrapping arithmetic with `&+`) or the op is refused.
struct AddressRange: Hashable {
    let start: UInt64
    let length: UInt64

    /// Nil when the range would run past 2^64 − 1.
    init?(start: UInt64, length: UInt64) {
        guard length == 0 || !start.addingReportingOverflow(length - 1).overflow else { return nil }
        self.start = start
        self.length = length
    }

    /// The last byte; nil for an empty range.
    var last: UInt64? { length == 0 ? nil : start + (length - 1) }

    /// The first byte after the range; nil when that is 2^64.
    var end: UInt64? {
        let (end, overflow) = start.addingReportingOverflow(length)
        return overflow ? nil : end
    }

    /// `start..<end`, the end clamped to 2^64 − 1 (a range ending at the top of the
    /// address space loses its very last byte, which no region can hold anyway).
    var clampedRange: Range<UInt64> { start..<(end ?? .max) }

    /// The part of `[start, start + length)` that fits, for a range that may wrap.
    static func clamped(start: UInt64, length: UInt64) -> AddressRange {
        AddressRange(start: start, length: length) ?? AddressRange(start: start, length: UInt64.max - start + 1)!
    }
}

extension UInt64 {
    /// `self + other`, or nil when it passes 2^64 − 1.
    func adding(_ other: UInt64) -> UInt64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}
