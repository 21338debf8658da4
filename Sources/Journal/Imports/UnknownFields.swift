/// The arguments an imported op's trace line did not carry. An `Op` value must hold
/// something in every field; the writer stores NULL in these columns instead, so a
/// journal never shows a placeholder as if the kernel had said it.
package struct UnknownFields: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    // ops
    package static let phys = UnknownFields(rawValue: 1 << 0)
    package static let length = UnknownFields(rawValue: 1 << 1)
    package static let direction = UnknownFields(rawValue: 1 << 2)
    package static let attributes = UnknownFields(rawValue: 1 << 3)
    package static let offset = UnknownFields(rawValue: 1 << 4)
    package static let fill = UnknownFields(rawValue: 1 << 5)
    /// A dma-debug warning printed without a device (`DMA-API: cacheline tracking EEXIST …`).
    package static let device = UnknownFields(rawValue: 1 << 6)
    /// An allocation whose size the trace gives only a lower bound of (a two-step request
    /// rebuilt from its links, the trace ending before its destroy): the column keeps the
    /// bound, and the IOVA the kernel gave, which the size decides, is not claimed.
    package static let sizeLowerBound = UnknownFields(rawValue: 1 << 7)

    // topology: a device or IOMMU the trace names but does not describe
    package static let dmaBits = UnknownFields(rawValue: 1 << 8)
    package static let coherent = UnknownFields(rawValue: 1 << 9)
    package static let untrusted = UnknownFields(rawValue: 1 << 10)
    package static let bus = UnknownFields(rawValue: 1 << 11)
    package static let iommuMode = UnknownFields(rawValue: 1 << 12)
    package static let granule = UnknownFields(rawValue: 1 << 13)
    package static let apertureBits = UnknownFields(rawValue: 1 << 14)
    package static let needsSyncMap = UnknownFields(rawValue: 1 << 15)
    package static let flushQueueSlots = UnknownFields(rawValue: 1 << 16)
    package static let forceDAC = UnknownFields(rawValue: 1 << 17)
    package static let reservedRanges = UnknownFields(rawValue: 1 << 18)

    /// Everything a `device` declaration holds besides its name, IOMMU and group.
    package static let deviceDetails: UnknownFields = [.dmaBits, .coherent, .untrusted, .bus]
    /// Everything an `iommu` declaration holds besides its name.
    package static let iommuDetails: UnknownFields = [.iommuMode, .granule, .apertureBits, .needsSyncMap,
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
