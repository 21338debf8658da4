import DMASim
import Journal

/// Syncs, faults and translated accesses.
extension EventJournaler {
    /// A sync: `sync-for-cpu`/`sync-for-device` on the mapping containing its address,
    /// checked as dma-debug's `check_sync` would.
    func sync(_ event: ParsedEvent) -> Draft {
        let (space, device) = mappingSpace(event)
        let forCPU = event.kind == .syncForCPU
        let address = event.address
        let mapping = address.flatMap { space.live(containing: $0) }
        let unmapped = mapping == nil ? address.flatMap { space.dead(containing: $0) } : nil
        let handle = mapping?.handle ?? unmapped?.handle ?? unseenHandle(space.name, address)
        let offset = both(address, mapping).map { $0.0 - $0.1.range.lowerBound }
        let call = StreamingSyncOp(mapping: handle, offset: offset ?? 0, length: event.sizeBytes ?? 0,
                                   direction: event.direction ?? .bidirectional)
        var draft = Draft(op: forCPU ? .syncForCPU(call) : .syncForDevice(call))
        if offset == nil { draft.unknown.insert(.offset) }
        if event.sizeBytes == nil { draft.unknown.insert(.length) }
        if event.direction == nil { draft.unknown.insert(.direction) }
        draft.device = device
        draft.address = address
        return draft
    }

    /// A fault or a translated access: a `dev-read` or `dev-write` at the absolute address,
    /// faulted or ok. A fault's kind comes from the report when it says; otherwise it is
    /// `permission` when a mapping the trace showed still covers the address and
    /// `not-present` when none does.
    func access(_ event: ParsedEvent) -> Draft {
        let device = event.device ?? DeviceRegistry.unattributed
        registry.note(device)
        let address = event.address ?? 0
        let space = accessSpace(device)
        let mapping = space?.live(containing: address)
        let isWrite = event.isWrite ?? false
        var draft = Draft(op: isWrite
            ? .deviceWrite(DeviceWriteOp(device: device, address: .absolute(address), length: 0, fill: .zero))
            : .deviceRead(DeviceReadOp(device: device, address: .absolute(address), length: 0)))
        draft.unknown = isWrite ? [.length, .fill] : [.length]
        if event.isWrite == nil { draft.notes.append("the \(event.kind == .fault ? "report" : "event") does not say read or write: recorded as dev-read") }
        if event.kind == .fault {
            var kind = event.faultKind
            if kind == nil {
                kind = mapping != nil ? .permission : .notPresent
                draft.notes.append(mapping.map { "fault kind not in the report: permission, \($0.handle) still mapped the address" }
                                   ?? "fault kind not in the report: not-present, no mapping the trace showed covered the address then")
            }
            draft.outcome = Outcome(status: .fault(Fault(kind: kind ?? .notPresent, address: address, isWrite: isWrite)))
        }
        return draft
    }
}
