/// `flush`, `detach`, `checkpoint` and `verify`.
extension Engine {
    /// The flush-queue timer firing now, on this op's CPU (`fq_flush_timeout()`): every
    /// domain of the IOMMU with queued ranges (or the device's domain alone) flushes its
    /// IOTLB and frees them, and its pending timer has nothing left to do (it is
    /// cancelled). With nothing queued the timer was never armed, and strict or
    /// passthrough IOMMUs have no queue: nothing happens. With `ranAt`, the timer ran then:
    /// ranges queued since stay, and the first of them armed it again.
    func flush(_ call: FlushOp) -> Outcome {
        if let ranAt = call.ranAt, ranAt > clock {
            return .rejected("flush at=\(DurationText.text(of: ranAt)) is after the op's time \(DurationText.text(of: clock))")
        }
        guard var domains = domainsOfIOMMU[call.iommu] else { return .rejected("unknown iommu \(call.iommu)") }
        if let name = call.device {
            guard let device = devices[name] else { return .rejected("unknown device \(name)") }
            guard let domain = device.domain, domain.iommu.name == call.iommu else {
                return .rejected("device \(name) has no DMA domain on iommu \(call.iommu)")
            }
            domains = [domain]
        }
        var outcome = Outcome()
        for domain in domains where domain.usesFlushQueue && domain.hasQueuedRanges {
            cancelTimer(.flushQueue(domainID(of: domain)))
            guard let ranAt = call.ranAt else {
                domain.flushQueueTimeout(outcome: &outcome)
                continue
            }
            if let armedAt = domain.flushQueueTimeout(ranAt: ranAt, outcome: &outcome) {
                armFlushTimer(of: domain, armedAt: armedAt)
            }
        }
        return outcome
    }

    /// Driver unbind (`BUS_NOTIFY_UNBOUND_DRIVER`): dma-debug reports pending mappings
    /// (class 22); the two-step API has no such check, so live IOVA states are reported
    /// here too. Nothing is reclaimed (`dma_debug_device_change()` only reports): the
    /// entries stay, a driver bound again later may unmap them, and the next unbind
    /// reports those still pending again.
    func detach(_ call: DetachOp) -> Outcome {
        device(named: call.device).orReject { device in
            var outcome = Outcome()
            let liveStates = states.occupiedSlots.filter { states[$0].device == call.device && states[$0].isLive }
            for slot in liveStates.sorted(by: { states[$0].serial < states[$1].serial }) where stateIsCurrent(states[slot]) {
                let state = states[slot]
                outcome.findings.append(Finding(.leakAtDetach, handle: state.handle,
                    "IOVA state \(state.handle) (addr 0x\(hex(state.addr)), size 0x\(hex(state.sizeBytes))) still allocated at detach"))
            }
            let liveMappings = mappings.occupiedSlots.filter {
                mappings[$0].device == call.device && mappings[$0].life == .mapped && mappings[$0].tracked
            }
            for slot in liveMappings.sorted(by: { mappings[$0].serial < mappings[$1].serial }) {
                let mapping = mappings[slot]
                outcome.findings.append(Finding(.leakAtDetach, handle: mapping.handle,
                    "DMA-API: device driver has pending DMA allocations while released from device [device address=0x\(hex(mapping.dmaAddress))] [size=\(mapping.length) bytes]"))
            }
            device.driverWasReleased = true
            return outcome
        }
    }

    /// A state record overwritten by a later alloc of the same handle was already reported
    /// as `state-overwritten`; only the current record of a handle can leak at detach. As
    /// ever, "current" means the handle's record (full or epitaph) has this one's address
    /// and device.
    private func stateIsCurrent(_ state: IOVAStateRecord) -> Bool {
        if let slot = states.currentSlot(of: state.handle) {
            return states[slot].addr == state.addr && states[slot].device == state.device
        }
        guard let epitaph = states.ended[state.handle] else { return false }
        return epitaph.addr == state.addr && epitaph.runtime.spec.name == state.device
    }

    /// Notes the name; from the first checkpoint on, the engine tracks who writes memory
    /// so a later `verify` can name the ops behind a difference. The memory snapshot itself
    /// is taken by the layer that keeps snapshots (`SnapshotKeeper`).
    func checkpoint(_ call: CheckpointOp) -> Outcome {
        checkpointNames.insert(call.name)
        startTrackingWriters()
        return .ok
    }

    /// `verify` applied to the engine alone: the comparison needs the checkpoint's memory,
    /// which only a snapshot keeper holds (see Engine+Verify).
    func verify(_ call: VerifyOp) -> Outcome {
        guard checkpointNames.contains(call.name) else { return .rejected("unknown checkpoint \(call.name)") }
        return .rejected("verify needs checkpoint \(call.name)'s memory snapshot: apply it through a SnapshotKeeper")
    }
}
