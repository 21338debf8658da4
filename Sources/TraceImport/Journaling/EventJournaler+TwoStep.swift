import DMASim
import Journal

/// Two-step calls (`dma_iova_*`): from probe events, or rebuilt by `TwoStepRebuild`. Each
/// state gets a handle (`s1`, `s2` …) at its `dma_iova_try_alloc`; its links are live
/// ranges of the device's IOVA space until the unlink or destroy that removes them.
extension EventJournaler {
    func twoStep(_ event: ParsedEvent, _ call: IOVACall) -> Draft {
        let device = event.device ?? stateDevices[stateKey(event)] ?? DeviceRegistry.unattributed
        registry.note(device)
        let space = space(named: Self.deviceSpaceName(device))
        let handle = stateHandle(event, startingNew: call == .tryAlloc)
        var draft: Draft
        switch call {
        case .tryAlloc:
            stateDevices[stateKey(event)] = device
            draft = Draft(op: .alloc(AllocOp(state: handle, device: device, phys: event.phys ?? 0, sizeBytes: event.sizeBytes ?? 0)))
            if event.phys == nil { draft.unknown.insert(.phys) }
            if event.sizeIsLowerBound { draft.unknown.insert(.sizeLowerBound) }
            draft.outcome = event.fallback ? Outcome(status: .fallback) : Outcome(status: .ok, address: event.address)
            registry.noteMap(device, address: nil, phys: nil, ownMapping: true, dmaAPI: true)
        case .link:
            draft = Draft(op: .link(LinkOp(state: handle, offset: event.offset ?? 0, phys: event.phys ?? 0, length: event.sizeBytes ?? 0,
                                           direction: event.direction ?? .bidirectional, attributes: event.attributes ?? [])))
            draft.unknown = unknownCallFields(event)
            let prot = event.direction.map { IOMMUProt(direction: $0, coherent: false, attributes: event.attributes ?? []) } ?? []
            let ranges = event.iommuEvents.map { MappedRange(iova: $0.iova, phys: $0.phys ?? 0, length: $0.sizeBytes, prot: prot, bounced: false) }
            draft.outcome = event.errno.map { code in Outcome(status: errnoStatus(code)) } ?? Outcome(status: .ok, ranges: ranges)
            for map in event.iommuEvents {
                space.map(AddressSpace.LiveRange(handle: handle, device: device, range: map.iova..<map.end, direction: event.direction,
                                                 mappedSize: map.sizeBytes, physList: [], seq: seqOfNextOp))
            }
        case .sync:
            draft = Draft(op: .sync(SyncOp(state: handle, offset: event.offset ?? 0, length: event.sizeBytes ?? 0)))
            draft.outcome = event.errno.map { code in Outcome(status: errnoStatus(code)) } ?? .ok
        case .unlink, .destroy:
            let length = event.sizeBytes ?? 0, direction = event.direction ?? .bidirectional, attributes = event.attributes ?? []
            draft = Draft(op: call == .unlink
                ? .unlink(UnlinkOp(state: handle, offset: event.offset ?? 0, length: length, direction: direction, attributes: attributes))
                : .destroy(DestroyOp(state: handle, mappedLength: length, direction: direction, attributes: attributes)))
            draft.unknown = unknownCallFields(event).subtracting(.phys)
            for unmap in event.iommuEvents {
                space.unmap(unmap.iova..<unmap.end, handle: handle, seq: seqOfNextOp, naming: event.naming)
            }
        case .free:
            draft = Draft(op: .free(FreeOp(state: handle)))
        }
        draft.device = device
        draft.address = call == .tryAlloc ? nil : event.address
        return draft
    }

    private func unknownCallFields(_ event: ParsedEvent) -> UnknownFields {
        var unknown: UnknownFields = []
        if event.phys == nil { unknown.insert(.phys) }
        if event.sizeBytes == nil { unknown.insert(.length) }
        if event.direction == nil { unknown.insert(.direction) }
        if event.attributes == nil { unknown.insert(.attributes) }
        if event.offset == nil { unknown.insert(.offset) }
        return unknown
    }

    private func errnoStatus(_ code: Int) -> OutcomeStatus {
        Errno.allCases.first { $0.number == -code }.map { .errno($0) } ?? .rejected("errno \(code)")
    }

    private func stateKey(_ event: ParsedEvent) -> String { event.state ?? "?" }

    /// The handle of the state an event names; a try_alloc starts a new one, since the
    /// kernel reuses a `struct dma_iova_state` (a request's) for the next request.
    private func stateHandle(_ event: ParsedEvent, startingNew: Bool) -> String {
        let key = stateKey(event)
        if !startingNew, let handle = stateHandles[key] { return handle }
        stateCount += 1
        let handle = "s\(stateCount)"
        stateHandles[key] = handle
        return handle
    }
}
