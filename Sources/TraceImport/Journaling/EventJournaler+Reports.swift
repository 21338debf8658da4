import DMASim
import Journal

/// dma-debug warnings: the call they fired in, as an op, with the class the message names
/// as a finding and the message itself as the kernel warning the call printed. They only
/// report: the mapped and unmapped ranges stay as the trace's own events left them.
extension EventJournaler {
    func report(_ event: ParsedEvent, _ call: ReportedCall) -> Draft {
        let device = event.device
        let deviceSpace = device.map { space(named: Self.deviceSpaceName($0)) }
        if let device { registry.note(device) }
        let mapping = event.address.flatMap { address in deviceSpace?.live(startingAt: address) ?? deviceSpace?.live(containing: address) }
        let handle = mapping?.handle ?? event.address.flatMap { deviceSpace?.dead(containing: $0)?.handle }
            ?? (call == .map ? newMappingHandle() : unseenHandle(deviceSpace?.name ?? "-", event.address))
        var draft = reportDraft(for: call, event, handle: handle, device: device ?? "", mapping: mapping)
        if device == nil { draft.unknown.insert(.device) }
        draft.device = device
        draft.address = event.address
        if let misuse = event.misuse {
            draft.outcome.findings = [Finding(misuse, handle: handle, "dma-debug: " + (event.reason ?? misuse.rawValue))]
        }
        draft.outcome.warnings = event.reason.map { ["DMA-API: " + $0] } ?? []
        return draft
    }

    private func reportDraft(for call: ReportedCall, _ event: ParsedEvent, handle: String, device: String,
                       mapping: AddressSpace.LiveRange?) -> Draft {
        let size = event.sizeBytes ?? 0, direction = event.direction ?? .bidirectional
        var unknown: UnknownFields = []
        if event.sizeBytes == nil { unknown.insert(.length) }
        if event.direction == nil { unknown.insert(.direction) }
        var notes: [String] = []
        let op: Op
        switch call {
        case .map:
            // dma-debug names the phys only of an MMIO map of RAM (debug_dma_map_phys()).
            op = .map(MapOp(mapping: handle, device: device, phys: event.phys ?? 0, length: size, direction: direction,
                            attributes: event.attributes ?? []))
            if event.phys == nil { unknown.insert(.phys) }
            if event.attributes == nil { unknown.insert(.attributes) }
        case .unmap:
            op = .unmap(UnmapOp(mapping: handle, length: size, direction: direction))
            unknown.insert(.attributes)
        case .sync, .syncForCPU, .syncForDevice:
            let offset = both(event.address, mapping).map { $0.0 - $0.1.range.lowerBound }
            if offset == nil { unknown.insert(.offset) }
            let sync = StreamingSyncOp(mapping: handle, offset: offset ?? 0, length: size, direction: direction)
            op = call == .syncForDevice ? .syncForDevice(sync) : .syncForCPU(sync)
            if call == .sync { notes.append("dma-debug's message does not say which way the sync went: recorded as sync-for-cpu") }
        case .detach:
            op = .detach(DetachOp(device: device))
        }
        return Draft(op: op, unknown: unknown, notes: notes)
    }
}
