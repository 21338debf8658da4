import DMASim

/// The misuse a two-step request can commit, each an edit of its stages made before the
/// first step. A dropped call marks the step just before it (the driver's last act
/// before the omission); detection always comes at or after the mark.
extension TwoStepRequest {
    func canCommit(_ injection: InjectionClass) -> Bool {
        switch injection {
        case .partialLinkNotCleaned: return pieces.count >= 2
        case .skippedCacheSync: return !buffer.deviceReads  // the CPU reads after the release
        case .useAfterUnlink: return false
        case .unalignedBounce: return !pieces[0].attributes.contains(.mmio)  // MMIO is refused (-EPERM), not bounced
        default: return true
        }
    }

    func commit(_ injection: InjectionClass, _ context: TrafficContext) {
        let lastPiece = pieces.count - 1
        switch injection {
        case .missingSync:
            cursor.remove(.sync)
            place(injection, at: .link, lastPiece)
        case .lateAccess:
            cursor.insert(.lateAccess, after: .destroy)
            place(injection, at: .lateAccess)
        case .wrongDirection:
            let piece = context.injectionChoice(below: pieces.count)
            pieces[piece].direction = buffer.deviceReads ? .fromDevice : .toDevice
            place(injection, at: .link, piece)
        case .overlappingLink:
            cursor.insert(.relink, after: .link)
            place(injection, at: .relink)
        case .destroyLengthMismatch:
            destroyLength -= min(destroyLength, device.unitBytes)
            place(injection, at: .destroy)
        case .doubleFree:
            cursor.insert(.secondDestroy, after: .destroy)
            place(injection, at: .secondDestroy)
        case .leakedState:
            cursor.remove(.destroy)
            place(injection, at: .access, buffer.segments.count - 1)
        case .partialLinkNotCleaned:
            // -EIO: a link after the first whose phys is not granule aligned (spec `unaligned-link`).
            let piece = 1 + context.injectionChoice(below: lastPiece)
            pieces[piece].phys += 512
            place(injection, at: .link, piece)
        case .freeWithLinkedRanges:
            cursor.replace(.destroy, with: .free)
            place(injection, at: .free)
        case .skippedCacheSync:
            releaseAttributes = .skipCPUSync
            place(injection, at: .destroy)
        case .useAfterUnlink:
            preconditionFailure("a two-step request never unlinks a single range")
        case .unalignedBounce:
            startInsideTheGranule(context)
            place(injection, at: .alloc)
        }
    }

    /// The buffer starts some sectors into its first granule (the fill the CPU made is
    /// unchanged): try_alloc and the first link take the new start, and the untrusted
    /// device's link bounces the head (`dma_iova_link()` → `iommu_dma_iova_link_swiotlb()`
    /// → `iommu_dma_map_swiotlb()` → `swiotlb_tbl_map_single()`), whose copy from memory
    /// outside the direct map never returns. The driver's task dies there: no later call
    /// is made, and the state is never destroyed (`leak-at-detach` at the end).
    private func startInsideTheGranule(_ context: TrafficContext) {
        let sectors = Int(device.unitBytes / RequestBuffer.sectorBytes)
        let head = UInt64(1 + context.injectionChoice(below: sectors - 1)) * RequestBuffer.sectorBytes
        allocPhys += head
        allocBytes -= head
        pieces = [LinkPiece(offset: 0, phys: pieces[0].phys + head, length: pieces[0].length - head,
                            direction: pieces[0].direction, attributes: pieces[0].attributes)]
        for stage in [Stage.sync, .access, .destroy, .verify] { cursor.remove(stage) }
    }

    private func place(_ injection: InjectionClass, at stage: Stage, _ item: Int = 0) {
        mark = StepMark(stage: stage, item: item, injection: MisuseInjection(injection, handle: state))
    }

    /// The device touches the first page of the buffer after destroy: a late completion
    /// write for a read request, a late fetch for a write request.
    func lateAccess(_ context: TrafficContext) -> WorkloadStep {
        let address = DeviceAddress.state(state, offset: 0)
        let length = min(buffer.segments[0].length, device.unitBytes)
        var step = buffer.deviceReads
            ? DataSteps.deviceRead(device.name, address, length: length, seed: buffer.segments[0].fillSeed)
            : DataSteps.deviceWrite(device.name, address, length: length, seed: context.nextFillSeed())
        step.claims = StepClaims.ok  // the driver believes the device is done with nothing amiss
        return step
    }
}
