/// `flush`, `detach`, `checkpoint` and `verify`.
extension Engine {
    /// The flush-queue timer firing (`fq_flush_timeout()`): every domain of the IOMMU with
    /// queued ranges flushes its IOTLB and frees them. With nothing queued the timer was
    /// never armed, and strict or passthrough IOMMUs have no queue: nothing happens.
    func flush(_ call: FlushOp) -> Outcome {
        guard let domains = domainsOfIOMMU[call.iommu] else { return .rejected("unknown iommu \(call.iommu)") }
        var outcome = Outcome()
        for domain in domains where domain.usesFlushQueue && !domain.flushQueue.isEmpty {
            domain.drainFlushQueue(outcome: &outcome)
        }
        return outcome
    }

    /// Driver unbind (`BUS_NOTIFY_UNBOUND_DRIVER`): dma-debug reports pending mappings
    /// (class 22); the two-step API has no such check, so live IOVA states are reported
    /// here too. Later ops naming the device are rejected.
    func detach(_ call: DetachOp) -> Outcome {
        device(named: call.device).orReject { device in
            var outcome = Outcome()
            for state in states where state.device == call.device && state.isLive && stateIndexIsCurrent(state) {
                outcome.findings.append(Finding(.leakAtDetach, handle: state.handle,
                    "IOVA state \(state.handle) (addr 0x\(hex(state.addr)), size 0x\(hex(state.sizeBytes))) still allocated at detach"))
            }
            for mapping in mappings where mapping.device == call.device && mapping.life == .mapped {
                outcome.findings.append(Finding(.leakAtDetach, handle: mapping.handle,
                    "DMA-API: device driver has pending DMA allocations while released from device [device address=0x\(hex(mapping.dmaAddress))] [size=\(mapping.length) bytes]"))
            }
            device.isDetached = true
            return outcome
        }
    }

    /// A state record overwritten by a later alloc of the same handle was already reported
    /// as `state-overwritten`; only the current record of a handle can leak at detach.
    private func stateIndexIsCurrent(_ state: IOVAStateRecord) -> Bool {
        guard let index = stateIndexOfHandle[state.handle] else { return false }
        return states[index].addr == state.addr && states[index].device == state.device
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
