import DMASim
import Journal

/// Turns each kernel call (`CallAssembler`'s events) into the op it is and what the kernel
/// said of it: the `ImportedOp`s `TraceSimulation` runs. It keeps each IOVA space's mapped
/// and unmapped ranges, as the kernel placed them, to name the mapping an unmap, sync or
/// fault means.
///
/// Handles: `m1`, `m2` … for maps the trace shows; `u1`, `u2` … for a mapping the trace
/// never showed mapped (its unmap or sync is all there is), one per address; `s1`, `s2` …
/// for two-step states.
final class EventJournaler {
    /// An op being built, before it gets its seq and provenance.
    struct Draft {
        var op: Op
        var outcome: Outcome = .ok
        var unknown: UnknownFields = []
        var device: String?
        var address: UInt64?
        var notes: [String] = []
    }

    var registry = DeviceRegistry()
    private var spaces: [String: AddressSpace] = [:]
    private var mappingCount = 0
    private var unseenHandles: [String: String] = [:]
    private var sourceID: Int64 = 0
    /// Two-step states: the handle each state key has now, and its device.
    var stateHandles: [String: String] = [:]
    var stateDevices: [String: String] = [:]
    var stateCount = 0

    /// The ops for `event` (none for an event that only describes the machine).
    func journal(_ event: ParsedEvent, sourceID: Int64) -> [ImportedOp] {
        self.sourceID = sourceID
        callCount += 1
        switch event.kind {
        case .map: return map(event)
        case .mapFailed: return [emit(mapFailed(event), event)]
        case .unmap: return unmap(event)
        case .syncForCPU, .syncForDevice: return [emit(sync(event), event)]
        case .fault, .access: return [emit(access(event), event)]
        case .debugReport(let call): return [emit(report(event, call), event)]
        case .attach, .groupAdd, .groupRemove: noteMachine(event); return []
        case .detach: return [emit(detach(event), event)]
        case .iova(let call):
            var draft = twoStep(event, call)
            // The kernel oopsed inside the call (a bounce copy through phys_to_virt() in
            // swiotlb_tbl_map_single()): it never returned, nothing it did is known.
            if event.oopsed { draft.outcome = Outcome(status: .oops) }
            return [emit(draft, event)]
        case .noOp, .iovaReturn: return []  // a return is folded into its call by CallAssembler
        case .flushTimer:
            // Whose fq_timer it was, the simulation asks the model (the line's timer= is hashed).
            return [emit(Draft(op: .flush(FlushOp(iommu: DeviceRegistry.iommuName))), event)]
        case .oops: return []  // its outcome went to the call it interrupted (CallAssembler)
        }
    }

    // MARK: building ops

    /// Ties a draft to its line.
    func emit(_ draft: Draft, _ event: ParsedEvent) -> ImportedOp {
        let source = event.provenance
        var notes = ([event.note] + draft.notes.map(Optional.some)).compactMap { $0 }
        if !event.iommuEvents.isEmpty, !event.kind.isTwoStep {
            let lines = event.iommuEvents.map { String($0.line) }.joined(separator: ", ")
            notes.append("with the iommu:\(event.kind == .map ? "map" : "unmap") event\(event.iommuEvents.count == 1 ? "" : "s") it caused (line\(event.iommuEvents.count == 1 ? "" : "s") \(lines))")
        }
        let provenance = ImportProvenance(
            sourceID: sourceID, line: source.line, lineCount: source.lineCount, sourceFormat: source.format.rawValue,
            kernelNaming: event.naming, timestampNanoseconds: source.timestampNanoseconds, wallClock: source.wallClock,
            cpu: source.cpu, task: source.task, pid: source.pid, note: notes.isEmpty ? nil : notes.joined(separator: "; "),
            raw: Self.raw(of: event))
        return ImportedOp(op: draft.op, outcome: draft.outcome, unknown: draft.unknown, device: draft.device,
                          address: draft.address, provenance: provenance)
    }

    /// The record as read; for a call that wrote several events, their lines in file order.
    static func raw(of event: ParsedEvent) -> String {
        guard !event.iommuEvents.isEmpty, !event.kind.isTwoStep else { return event.provenance.raw }
        let lines = event.iommuEvents.map { ($0.line, $0.raw) } + [(event.provenance.line, event.provenance.raw)]
        return lines.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
    }

    /// Calls seen so far: the order in which the address spaces remember maps and unmaps.
    private(set) var callCount = 0
    var seqOfNextOp: Int { callCount }

    func newMappingHandle() -> String {
        mappingCount += 1
        return "m\(mappingCount)"
    }

    /// The handle for a mapping the trace never showed mapped, one per space and address.
    func unseenHandle(_ space: String, _ address: UInt64?) -> String {
        let key = "\(space)@\(address.map { String($0, radix: 16) } ?? "?")"
        if let handle = unseenHandles[key] { return handle }
        let handle = "u\(unseenHandles.count + 1)"
        unseenHandles[key] = handle
        return handle
    }

    // MARK: IOVA spaces

    func space(named name: String) -> AddressSpace {
        if let space = spaces[name] { return space }
        let space = AddressSpace(name: name)
        spaces[name] = space
        return space
    }

    static func deviceSpaceName(_ device: String) -> String { "device " + device }

    /// The space and device a map, unmap or sync happened in: a virtio-iommu domain, the
    /// device's own space, or the shared space of device-less iommu events.
    func mappingSpace(_ event: ParsedEvent) -> (space: AddressSpace, device: String) {
        if let name = event.space {
            registry.update(name) { $0.spaceName = name }
            return (space(named: name), name)
        }
        if let device = event.device {
            registry.note(device)
            return (space(named: Self.deviceSpaceName(device)), device)
        }
        registry.update(DeviceRegistry.unattributed) { $0.spaceName = DeviceRegistry.unattributed }
        return (space(named: DeviceRegistry.unattributed), DeviceRegistry.unattributed)
    }

    /// The space a device's fault or access is checked in: its virtio-iommu domain, its
    /// own space when the trace mapped anything there, else the device-less iommu events'
    /// space when there is one.
    func accessSpace(_ device: String) -> AddressSpace? {
        if let virtio = registry.entry(device)?.virtioSpace { return space(named: virtio) }
        if let own = spaces[Self.deviceSpaceName(device)], own.hasMappings { return own }
        if let shared = spaces[DeviceRegistry.unattributed], shared.hasMappings { return shared }
        return spaces[Self.deviceSpaceName(device)]
    }

    /// Attach and group events: what they say about a device's IOVA space.
    private func noteMachine(_ event: ParsedEvent) {
        guard let device = event.device else { return }
        registry.update(device) { entry in
            if let groupID = event.groupID, event.kind == .groupAdd { entry.groupID = groupID }
            if let space = event.space, event.kind == .attach { entry.virtioSpace = space }
        }
    }

    private func detach(_ event: ParsedEvent) -> Draft {
        guard let device = event.device else {
            return Draft(op: .detach(DetachOp(device: "")), unknown: .device)
        }
        registry.note(device)
        return Draft(op: .detach(DetachOp(device: device)))
    }
}
