import DMASim

/// Which parsed ops the fuzz test hands to the engine by default. Issue 21 items 1 and 5
/// (engineer "pagetable") are open: lengths near 2^64 and addresses that wrap trap in the
/// engine's arithmetic, and a length of a terabyte costs memory or time in proportion.
/// Until those land, an op with such a value is parsed (the parser sees every input) but
/// not run, unless `DMAJOURNAL_FUZZ_EXTREMES=1`. Everything else — wrong handles, ops out
/// of order, double frees, odd sizes — runs.
enum KnownBounds {
    /// Bytes an op may touch: a data op fills or reads this many bytes.
    static let maximumLength: UInt64 = 1 << 20
    /// Addresses stay far from the top of the 64-bit space.
    static let maximumAddress: UInt64 = 1 << 52
    /// swiotlb pools are allocated in full (swiotlb-huge-abort.ops).
    static let maximumPool: UInt64 = 1 << 30

    static func allows(_ op: Op) -> Bool {
        if case .region = op.call { return values(of: op.call).allSatisfy { $0.value < maximumAddress } }
        if case .swiotlb(let spec) = op.call { return spec.sizeBytes <= maximumPool }
        if case .advance(let advance) = op.call { return advance.nanoseconds < 1 << 40 }
        if let time = op.time, time >= 1 << 50 { return false }
        return values(of: op.call).allSatisfy { label, value in
            label.lowercased().contains("length") || label.lowercased().contains("size") ? value <= maximumLength : value < maximumAddress
        }
    }

    /// Every UInt64 inside `value`, with the label it is stored under.
    private static func values(of value: Any, label: String = "") -> [(label: String, value: UInt64)] {
        if let number = value as? UInt64 { return [(label, number)] }
        return Mirror(reflecting: value).children.flatMap { child in values(of: child.value, label: child.label ?? label) }
    }
}
