/// The arguments an imported op's trace line did not carry. An `Op` value must hold
/// something in every field; the writer stores NULL in these columns instead, so a
/// journal never shows a placeholder as if the kernel had said it.
public struct UnknownFields: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    // ops
    public static let phys = UnknownFields(rawValue: 1 << 0)
    public static let length = UnknownFields(rawValue: 1 << 1)
    public static let direction = UnknownFields(rawValue: 1 << 2)
    public static let attributes = UnknownFields(rawValue: 1 << 3)
    public static let offset = UnknownFields(rawValue: 1 << 4)
    public static let fill = UnknownFields(rawValue: 1 << 5)
    /// A dma-debug warning printed without a device (`DMA-API: cacheline tracking EEXIST …`).
    public static let device = UnknownFields(rawValue: 1 << 6)

    // topology: a device or IOMMU the trace names but does not describe
    public static let dmaBits = UnknownFields(rawValue: 1 << 8)
    public static let coherent = UnknownFields(rawValue: 1 << 9)
    public static let untrusted = UnknownFields(rawValue: 1 << 10)
    public static let bus = UnknownFields(rawValue: 1 << 11)
    public static let iommuMode = UnknownFields(rawValue: 1 << 12)
    public static let granule = UnknownFields(rawValue: 1 << 13)
    public static let apertureBits = UnknownFields(rawValue: 1 << 14)
    public static let needsSyncMap = UnknownFields(rawValue: 1 << 15)
    public static let flushQueueSlots = UnknownFields(rawValue: 1 << 16)
    public static let forceDAC = UnknownFields(rawValue: 1 << 17)
    public static let reservedRanges = UnknownFields(rawValue: 1 << 18)

    /// Everything a `device` declaration holds besides its name, IOMMU and group.
    public static let deviceDetails: UnknownFields = [.dmaBits, .coherent, .untrusted, .bus]
    /// Everything an `iommu` declaration holds besides its name.
    public static let iommuDetails: UnknownFields = [.iommuMode, .granule, .apertureBits, .needsSyncMap,
                                                      .flushQueueSlots, .forceDAC, .reservedRanges]

    /// The `topology` columns these fields are stored in.
    var topologyColumns: [TopologyColumn] {
        let pairs: [(UnknownFields, TopologyColumn)] = [
            (.dmaBits, .dmaBits), (.coherent, .coherent), (.untrusted, .untrusted), (.bus, .bus),
            (.iommuMode, .mode), (.granule, .granuleBytes), (.apertureBits, .apertureBits),
            (.needsSyncMap, .needsSyncMap), (.flushQueueSlots, .fqSlots), (.forceDAC, .forceDac),
            (.reservedRanges, .reserved),
        ]
        return pairs.filter { contains($0.0) }.map(\.1)
    }
}

extension OpFields {
    /// Clears the columns an imported line did not carry.
    mutating func clear(_ unknown: UnknownFields) {
        if unknown.contains(.phys) { phys = nil }
        if unknown.contains(.length) { length = nil }
        if unknown.contains(.direction) { direction = nil }
        if unknown.contains(.attributes) { attributes = nil }
        if unknown.contains(.offset) { offset = nil }
        if unknown.contains(.fill) { fill = nil }
        if unknown.contains(.device) { device = nil }
    }
}
