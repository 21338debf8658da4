import DMASim

/// A request's data: its segments, which way the data goes, and the memory it holds.
///
/// A `to-device` request (a block write, a migration load) has the CPU fill every
/// segment before mapping and the device read it, claiming the fill. A `from-device`
/// request (a block read, a migration save) has the device write and the CPU read each
/// segment after the release, claiming the device's fill. The CPU never touches a
/// segment the device owns, so the claims hold with or without CPU cache and bounce
/// modelling (spec `cpu-access-device-owned`, `cpu-read-before-bounce-back`).
struct RequestBuffer {
    var segments: [Segment] = []
    var direction: DMADirection
    /// Pool frames to give back when the request ends.
    var slots: [Int] = []
    var barFrames: [Int] = []

    init(direction: DMADirection) { self.direction = direction }

    /// The request's IOVA length: `blk_rq_payload_bytes`.
    var totalBytes: UInt64 { segments.last.map { $0.offset + $0.length } ?? 0 }

    /// Adds a segment after the last in IOVA order, with a fresh fill.
    mutating func append(phys: UInt64, length: UInt64, attributes: DMAAttributes = [], _ context: TrafficContext) {
        segments.append(Segment(offset: totalBytes, phys: phys, length: length, attributes: attributes,
                                fillSeed: context.nextFillSeed()))
    }

    /// One link per segment: a merged bio segment, or a BAR piece.
    var segmentPieces: [LinkPiece] {
        segments.map { LinkPiece(offset: $0.offset, phys: $0.phys, length: $0.length, direction: direction, attributes: $0.attributes) }
    }

    /// One link per `unit` page, as mlx5's `register_dma_pages` does.
    func pagePieces(unit: UInt64) -> [LinkPiece] {
        segments.flatMap { segment in
            stride(from: 0, to: segment.length, by: Int(unit)).map { start in
                LinkPiece(offset: segment.offset + start, phys: segment.phys + start, length: unit,
                          direction: direction, attributes: segment.attributes)
            }
        }
    }

    var deviceReads: Bool { direction == .toDevice }
    var fillCount: Int { deviceReads ? segments.count : 0 }
    var verifyCount: Int { deviceReads ? 0 : segments.count }

    /// The CPU writes segment `index` before the device reads it.
    func fillStep(_ index: Int) -> WorkloadStep {
        let segment = segments[index]
        return DataSteps.cpuFill(phys: segment.phys, length: segment.length, seed: segment.fillSeed)
    }

    /// The CPU reads back what the device wrote into segment `index`.
    func verifyStep(_ index: Int) -> WorkloadStep {
        let segment = segments[index]
        return DataSteps.cpuVerify(phys: segment.phys, length: segment.length, seed: segment.fillSeed)
    }

    /// The device moves segment `index`'s data through `address`.
    func deviceStep(_ index: Int, device: String, address: DeviceAddress) -> WorkloadStep {
        let segment = segments[index]
        return deviceReads
            ? DataSteps.deviceRead(device, address, length: segment.length, seed: segment.fillSeed)
            : DataSteps.deviceWrite(device, address, length: segment.length, seed: segment.fillSeed)
    }

    /// Gives the request's memory back.
    func release(into pools: inout MemoryPools) {
        for slot in slots { pools.slots.release(slot) }
        for frame in barFrames { pools.barFrames.release(frame) }
    }
}
