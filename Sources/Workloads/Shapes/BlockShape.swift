/// A block request as blk-mq hands it to nvme-pci: 4 KiB to 1 MiB of payload in 1 to
/// 128 merged segments (`max_segments` of NVMe is 127 + 1 for PRP lists; a 1 MiB
/// `max_sectors_kb`), reads more common than writes.
enum BlockShape: BufferShape {
    static let maxPayloadBytes: UInt64 = 1 << 20
    static let maxSegments = 128
    /// Most requests are not merged at all.
    static let singleSegmentShare = 0.35
    static let readShare = 0.6

    static func buffer(for device: DeviceProfile, _ context: TrafficContext) -> RequestBuffer {
        let unit = device.unitBytes
        let units = context.random.logUniform(1...Int(maxPayloadBytes / unit))
        let segmentCount = context.random.chance(singleSegmentShare) ? 1 : context.random.logUniform(1...min(maxSegments, units))
        let lengths = SlotLayout.split(units, into: segmentCount, &context.random).map { UInt64($0) * unit }
        var buffer = RequestBuffer(direction: context.random.chance(readShare) ? .fromDevice : .toDevice)
        buffer.appendInSlot(lengths, unit: unit, context)
        if device.sectorAligned { buffer.cutToSectors(within: min(unit, device.spec.minAlignMask + 1), context) }
        return buffer
    }
}
