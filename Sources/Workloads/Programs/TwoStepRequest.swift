import DMASim

/// A request mapped with the two-step API, as blk-mq-dma maps a block request
/// (`blk_rq_dma_map_iter_start` → `blk_dma_map_iova`) and mlx5 a migration buffer:
///
///     cpu-write × n  (to-device only)      the data the device will read
///     alloc          dma_iova_try_alloc(first segment's phys, payload bytes)
///     link × pieces  one per merged segment (or page), at offset = bytes mapped so far
///     sync           dma_iova_sync(0, payload): one iotlb_sync_map for the lot
///     dev-read/write × n   through state->addr + segment offset
///     destroy        dma_iova_destroy(payload): blk_rq_dma_unmap
///     cpu-read × n   (from-device only)    what the device wrote
///
/// An injected misuse edits the stages before the first step (TwoStepRequest+Injection).
final class TwoStepRequest: RequestProgram {
    enum Stage: Equatable {
        case fill, alloc, link, relink, sync, access, destroy, secondDestroy, lateAccess, free, verify
    }

    let device: DeviceProfile
    let state: String
    @exclusivity(unchecked) var buffer: RequestBuffer
    @exclusivity(unchecked) var pieces: [LinkPiece]
    @exclusivity(unchecked) var cursor = StageCursor<Stage>([.fill, .alloc, .link, .sync, .access, .destroy, .verify])
    @exclusivity(unchecked) var mark: StepMark<Stage>?
    /// `mapped_len` for destroy: everything linked, unless a misuse says otherwise.
    @exclusivity(unchecked) var destroyLength: UInt64
    @exclusivity(unchecked) var releaseAttributes: DMAAttributes = []
    /// `dma_iova_try_alloc(phys, size)`: the first segment's address and the payload,
    /// unless a misuse moves the buffer's start.
    @exclusivity(unchecked) var allocPhys: UInt64
    @exclusivity(unchecked) var allocBytes: UInt64

    init(device: DeviceProfile, buffer: RequestBuffer, pieces: [LinkPiece], _ context: TrafficContext) {
        self.device = device
        self.buffer = buffer
        self.pieces = pieces
        state = context.nextStateHandle()
        destroyLength = buffer.totalBytes
        allocPhys = buffer.segments[0].phys
        allocBytes = buffer.totalBytes
        // Drivers unmap with the attributes they mapped with (nvme passes DMA_ATTR_MMIO
        // again for a P2P request); an injected misuse may change this below.
        releaseAttributes = pieces.first?.attributes ?? []
        if let injection = context.injection(for: device, possible: canCommit) { commit(injection, context) }
    }

    func nextStep(_ context: TrafficContext) -> WorkloadStep? {
        guard let (stage, item) = cursor.advance(itemCount: itemCount) else {
            buffer.release(into: &context.pools)
            return nil
        }
        var step = self.step(stage, item, context)
        step.injected = mark?.injection(at: stage, item)
        return step
    }

    private func itemCount(_ stage: Stage) -> Int {
        switch stage {
        case .fill: return buffer.fillCount
        case .link: return pieces.count
        case .access: return buffer.segments.count
        case .verify: return buffer.verifyCount
        case .alloc, .relink, .sync, .destroy, .secondDestroy, .lateAccess, .free: return 1
        }
    }

    private func step(_ stage: Stage, _ item: Int, _ context: TrafficContext) -> WorkloadStep {
        switch stage {
        case .fill: return buffer.fillStep(item)
        case .alloc: return call(.alloc(AllocOp(state: state, device: device.name, phys: allocPhys, sizeBytes: allocBytes)))
        case .link: return link(pieces[item])
        case .relink: return link(pieces[pieces.count - 1])
        case .sync: return call(.sync(SyncOp(state: state, offset: 0, length: buffer.totalBytes)))
        case .access: return buffer.deviceStep(item, device: device.name, address: .state(state, offset: buffer.segments[item].offset))
        case .destroy, .secondDestroy: return call(.destroy(DestroyOp(state: state, mappedLength: destroyLength,
                                                                     direction: buffer.direction, attributes: releaseAttributes)))
        case .lateAccess: return lateAccess(context)
        case .free: return call(.free(FreeOp(state: state)))
        case .verify: return buffer.verifyStep(item)
        }
    }

    private func call(_ op: Op) -> WorkloadStep { WorkloadStep(op: op, claims: StepClaims.ok) }

    private func link(_ piece: LinkPiece) -> WorkloadStep {
        call(.link(LinkOp(state: state, offset: piece.offset, phys: piece.phys, length: piece.length,
                          direction: piece.direction, attributes: piece.attributes)))
    }
}
