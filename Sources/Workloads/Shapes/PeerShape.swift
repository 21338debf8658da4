import DMASim

/// A peer transfer of a dma-buf importer: 1 to 16 segments, each either a piece of the
/// exporter's BAR (linked with `DMA_ATTR_MMIO`, docs/workloads.md "Workloads" "dma-buf / VFIO BAR export") or
/// pages of the shared region, in either direction.
enum PeerShape: BufferShape {
    static let maxSegments = 16
    static let barShare = 0.5

    static func buffer(for device: DeviceProfile, _ context: TrafficContext) -> RequestBuffer {
        let unit = device.unitBytes
        let count = context.random.logUniform(1...maxSegments)
        let inBAR = (0..<count).map { _ in context.random.chance(barShare) }
        var buffer = RequestBuffer(direction: context.random.chance(0.5) ? .fromDevice : .toDevice)
        let sharedLengths = sharedLengths(count: inBAR.count { !$0 }, unit: unit, &context.random)
        let sharedPhys = sharedLengths.isEmpty ? [] : buffer.placeInNewSlot(sharedLengths, unit: unit, context)
        var sharedPieces = zip(sharedPhys, sharedLengths).makeIterator()
        for bar in inBAR {
            if bar {
                appendBARPiece(to: &buffer, unit: unit, context)
            } else {
                let (phys, length) = sharedPieces.next()!
                buffer.append(phys: phys, length: length, context)
            }
        }
        return buffer
    }

    /// Shared-memory pieces of 1 to 16 units, at most a slot's worth together.
    private static func sharedLengths(count: Int, unit: UInt64, _ random: inout WorkloadRandom) -> [UInt64] {
        let maxUnits = max(1, Int(SlotLayout.dataBytesPerSlot / unit) / maxSegments)
        return (0..<count).map { _ in UInt64(random.logUniform(1...min(16, maxUnits))) * unit }
    }

    /// A BAR piece of 1 unit to 64 KiB at the start of a BAR frame of its own.
    private static func appendBARPiece(to buffer: inout RequestBuffer, unit: UInt64, _ context: TrafficContext) {
        let frame = context.pools.barFrames.take(&context.random)!
        buffer.barFrames.append(frame)
        let units = context.random.logUniform(1...Int(max(1, MemoryPools.barFrameBytes / unit)))
        buffer.append(phys: context.pools.barFrames.base(of: frame), length: UInt64(units) * unit, attributes: .mmio, context)
    }
}
