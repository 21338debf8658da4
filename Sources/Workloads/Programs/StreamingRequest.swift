import DMASim
import OpScript

/// The fallback when `dma_iova_try_alloc` returns false (no IOMMU DMA domain): one
/// streaming map per segment, as nvme-pci does through `blk_dma_map_direct`:
///
///     cpu-write × n       (to-device only)
///     alloc               => fallback
///     map, mapping-error  per segment: dma_map_phys, then dma_mapping_error()
///     dev-read/write × n  through each mapping's DMA address
///     unmap × n           dma_unmap_phys at completion
///     cpu-read × n        (from-device only)
///
/// When a segment is beyond the device's DMA mask (no swiotlb to bounce through), its
/// map returns `DMA_MAPPING_ERROR`; the driver unmaps what it had mapped and fails the
/// request there.
///
/// When dma-direct bounces a segment (`swiotlb=force`, or beyond the mask with a pool),
/// `swiotlb_tbl_map_single()` copies it into its slot through the direct map: RAM bounces
/// (and a segment over 256 KiB fails, no slots), but the shared region is outside it: the map never returns (`oops`,
/// `bounce-outside-direct-map`) and the driver's task is dead, so the request ends there,
/// its earlier mappings never unmapped. The map claims `ok`, what the driver expected.
final class StreamingRequest: RequestProgram {
    enum Stage: Equatable { case fill, alloc, map, access, unmap, verify, failedMap, oopsMap }

    let device: DeviceProfile
    let state: String
    let buffer: RequestBuffer
    /// One mapping handle per segment mapped, and one for the map that fails.
    let mappings: [String]
    /// Segments mapped successfully: all of them, or those before the unreachable one.
    let mappedCount: Int
    @exclusivity(unchecked) var cursor: StageCursor<Stage>

    init(device: DeviceProfile, buffer: RequestBuffer, _ context: TrafficContext) {
        self.device = device
        self.buffer = buffer
        state = context.nextStateHandle()
        let stop = buffer.segments.firstIndex { device.directRefuses($0) || device.directBounceOopses($0) }
        mappedCount = stop ?? buffer.segments.count
        mappings = (0..<(stop.map { $0 + 1 } ?? mappedCount)).map { _ in context.nextMappingHandle() }
        switch stop {
        case nil: cursor = StageCursor([.fill, .alloc, .map, .access, .unmap, .verify])
        case let index? where device.directBounceOopses(buffer.segments[index]): cursor = StageCursor([.fill, .alloc, .map, .oopsMap])
        case _?: cursor = StageCursor([.fill, .alloc, .map, .failedMap, .unmap])
        }
    }

    func nextStep(_ context: TrafficContext) -> WorkloadStep? {
        guard let (stage, item) = cursor.advance(itemCount: itemCount) else {
            buffer.release(into: &context.pools)
            return nil
        }
        return step(stage, item)
    }

    private func itemCount(_ stage: Stage) -> Int {
        switch stage {
        case .fill: return buffer.fillCount
        case .alloc: return 1
        case .map: return 2 * mappedCount  // map, then check it
        case .failedMap: return 2
        case .oopsMap: return 1
        case .access, .unmap: return mappedCount
        case .verify: return buffer.verifyCount
        }
    }

    private func step(_ stage: Stage, _ item: Int) -> WorkloadStep {
        switch stage {
        case .fill: return buffer.fillStep(item)
        case .alloc: return WorkloadStep(op: .alloc(AllocOp(state: state, device: device.name, phys: buffer.segments[0].phys,
                                                            sizeBytes: buffer.totalBytes)), claims: StepClaims.fallback)
        case .map: return item % 2 == 0 ? map(item / 2, claims: StepClaims.ok) : check(item / 2, claims: StepClaims.ok)
        case .failedMap: return item == 0 ? map(mappedCount, claims: StepClaims.mapFailed)
                                          : check(mappedCount, claims: StepClaims.mappingErrorChecked)
        case .oopsMap: return map(mappedCount, claims: StepClaims.ok)
        case .access: return buffer.deviceStep(item, device: device.name, address: .mapping(mappings[item], offset: 0))
        case .unmap: return WorkloadStep(op: .unmap(UnmapOp(mapping: mappings[item], length: buffer.segments[item].length,
                                                            direction: buffer.direction, attributes: buffer.segments[item].attributes)),
                                         claims: StepClaims.ok)
        case .verify: return buffer.verifyStep(item)
        }
    }

    private func map(_ index: Int, claims: [Claim]) -> WorkloadStep {
        let segment = buffer.segments[index]
        return WorkloadStep(op: .map(MapOp(mapping: mappings[index], device: device.name, phys: segment.phys, length: segment.length,
                                           direction: buffer.direction, attributes: segment.attributes)), claims: claims)
    }

    private func check(_ index: Int, claims: [Claim]) -> WorkloadStep {
        WorkloadStep(op: .mappingError(MappingErrorOp(mapping: mappings[index])), claims: claims)
    }
}
