/// Checker: buffer ownership (dma-api.rst Part Id; docs/kernel-model.md "The CPU cache", `cpu-access-device-owned`, `cpu-read-before-bounce-back`). The device
/// owns a buffer from map, link or `sync_for_device` until `sync_for_cpu`, unmap or
/// unlink; the CPU must keep off it meanwhile, and must never write a FROM_DEVICE
/// buffer while it is mapped.
///
/// Every streaming mapping is tracked: a driver cannot know whether its mapping will be
/// bounced, so the rule holds for coherent devices too. A two-step link is tracked
/// only where the device needs syncs (non-coherent, or a bounced head or tail): the
/// API has no `sync_for_cpu`, and a coherent, unbounced link is memory CPU and device
/// share by design — what HMM does, and why `hmm_dma_map_alloc()` refuses devices that
/// need syncs (mm/hmm.c).
extension Engine {
    /// A linked piece becomes device-owned when the device needs syncs for it.
    func noteDeviceOwns(_ link: TwoStepLink, _ piece: LinkPiece) {
        guard !link.device.spec.coherent || piece.bounced, !piece.buffer.isEmpty else { return }
        let iovaFirst = piece.iova &+ link.domain.granule.offset(piece.buffer.lowerBound)
        let entry = OwnershipMap.Entry(owner: .state(link.state), first: piece.buffer.lowerBound, end: piece.buffer.upperBound,
                                       direction: link.call.direction, bounced: piece.bounced, iovaFirst: iovaFirst)
        states[link.state].ownershipIDs.append(ownership.add(entry))
    }

    /// Unlink hands back the bytes linked in `[iovaFirst, iovaEnd)`; destroy and free
    /// hand back all (no bounds given).
    func releaseOwnership(ofState index: Int, iovaFirst: UInt64 = 0, iovaEnd: UInt64 = .max) {
        guard !states[index].ownershipIDs.isEmpty else { return }
        states[index].ownershipIDs = states[index].ownershipIDs.flatMap { id -> [Int] in
            let entry = ownership[id]
            let first = max(iovaFirst, entry.iovaFirst)
            let end = min(iovaEnd, entry.iovaFirst &+ (entry.end - entry.first))
            guard first < end else { return [id] }
            return ownership.cut(id, entry.first + (first - entry.iovaFirst)..<entry.first + (end - entry.iovaFirst))
        }
    }

    /// A streaming map: the device owns the whole buffer.
    func noteDeviceOwns(mapping index: Int) {
        let mapping = mappings[index]
        let buffer = AddressRange.clamped(start: mapping.phys, length: mapping.length).clampedRange
        let entry = OwnershipMap.Entry(owner: .mapping(index), first: buffer.lowerBound, end: buffer.upperBound,
                                       direction: mapping.direction, bounced: false)
        mappings[index].ownershipID = ownership.add(entry)
    }

    /// `sync_for_cpu` (to the CPU) or `sync_for_device` (back to the device) of
    /// `[offset, offset+length)` of a mapping.
    func noteOwnershipMoves(mapping index: Int, offset: UInt64, length: UInt64, toCPU: Bool) {
        guard let id = mappings[index].ownershipID else { return }
        let first = mappings[index].phys &+ offset
        let range = first..<max(first, first &+ length)
        if toCPU { ownership[id].cpuOwned.insert(range) } else { ownership[id].cpuOwned.remove(range) }
    }

    func releaseOwnership(ofMapping index: Int) {
        guard let id = mappings[index].ownershipID else { return }
        ownership.remove(id)
        mappings[index].ownershipID = nil
    }

    /// A CPU load or store of `[phys, phys+length)`: reports each device-owned buffer it
    /// touches. Reads of TO_DEVICE buffers are harmless (nothing is invalidated or copied
    /// back for them) and not reported.
    func noteCPUAccess(phys: UInt64, length: UInt64, isWrite: Bool, into outcome: inout Outcome) {
        guard !ownership.isEmpty, length > 0 else { return }
        for id in ownership.overlapping(phys, phys &+ length) {
            let entry = ownership[id]
            let touched = max(phys, entry.first)..<min(phys &+ length, entry.end)
            let deviceOwned = !entry.cpuOwned.covers(touched)
            guard let finding = ownershipFinding(entry, touched: touched, deviceOwned: deviceOwned, isWrite: isWrite) else { continue }
            outcome.addOnce(finding)
        }
    }

    private func ownershipFinding(_ entry: OwnershipMap.Entry, touched: Range<UInt64>, deviceOwned: Bool,
                                  isWrite: Bool) -> Finding? {
        let handle = ownerName(entry.owner)
        let place = "[0x\(hex(touched.lowerBound)), 0x\(hex(touched.upperBound)))"
        let kind = entry.direction.rawValue
        if isWrite && deviceOwned {
            return Finding(.cpuAccessDeviceOwned, handle: handle, "CPU write to \(place) of \(handle) (\(kind)) while the device owns it")
        }
        if isWrite && entry.direction == .fromDevice {
            return Finding(.cpuAccessDeviceOwned, handle: handle, "CPU write to \(place) of \(handle): FROM_DEVICE memory is read-only for the driver while mapped")
        }
        guard !isWrite, deviceOwned, entry.direction != .toDevice else { return nil }
        if entry.bounced {
            return Finding(.cpuReadBeforeBounceBack, handle: handle,
                "CPU read of \(place), a bounced granule of \(handle), before unlink copies the device's data back: pre-DMA bytes")
        }
        return Finding(.cpuAccessDeviceOwned, handle: handle, "CPU read of \(place) of \(handle) (\(kind)) while the device owns it")
    }

    func ownerName(_ owner: IOVAOwner) -> String {
        switch owner {
        case .state(let index): return states[index].handle
        case .mapping(let index): return mappings[index].handle
        }
    }
}
