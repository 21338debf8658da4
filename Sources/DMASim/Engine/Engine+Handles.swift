/// Looking up the records ops name, and the checker's notes on calls made through a
/// state that is no longer (or never was) live.
extension Engine {
    /// The state named by a call and its device, or the rejection to return.
    func stateAndDevice(named handle: String) -> Result<(index: Int, device: DeviceRuntime), RejectReason> {
        guard let index = stateSlot(of: handle) else {
            return .failure(RejectReason("unknown IOVA state \(handle) (no alloc declared it)"))
        }
        return .success((index, states[index].runtime))
    }

    /// The DMA domain a two-step call dereferences. Without one the kernel follows a NULL
    /// `iova_cookie`: an oops, which a simulator can only refuse.
    func domain(of device: DeviceRuntime, for call: String) -> Result<DMADomain, RejectReason> {
        guard let domain = device.domain else {
            return .failure(RejectReason("\(call) on \(device.spec.name), which has no IOMMU DMA domain: the kernel would oops on a NULL iova_cookie"))
        }
        return .success(domain)
    }

    /// Runs a two-step call on a state: looks up the state, its device and domain, notes
    /// a call through a state that is not live, then hands over to `body`.
    func stateCall(_ handle: String, _ call: String, releasing: Bool = false,
                   _ body: (Int, DeviceRuntime, DMADomain, inout Outcome) -> Void) -> Outcome {
        stateAndDevice(named: handle).orReject { index, device in
            var outcome = Outcome()
            noteStateLife(index, call: call, releasing: releasing, into: &outcome)
            return domain(of: device, for: call).orReject { domain in
                body(index, device, domain, &outcome)
                return outcome
            }
        }
    }

    /// The kernel cannot tell a live state from a dead one: the call goes ahead on
    /// whatever `state->addr` holds. The checker can. `link-without-iova` for a state whose try_alloc
    /// failed; for a released one, `double-free` when `releasing` (destroy/free),
    /// else use-after-destroy/free.
    func noteStateLife(_ index: Int, call: String, releasing: Bool, into outcome: inout Outcome) {
        let life = states[index].life
        if life == .allocated { return }  // the hot path: no copy of the record
        let state = states[index]
        let finding: Finding
        switch (life, releasing) {
        case (.allocated, _):
            return
        case (.failed, _):
            finding = Finding(.linkWithoutIOVA, handle: state.handle,
                "\(call) on \(state.handle) after dma_iova_try_alloc returned false: state->addr is 0")
        case (.destroyed, true), (.freed, true):
            finding = Finding(.doubleFree, handle: state.handle,
                "\(call) on \(state.handle), already released: the state is not cleared, so its IOVA is freed twice")
        case (.destroyed, false):
            finding = Finding(.useAfterDestroy, handle: state.handle, "\(call) on \(state.handle) after dma_iova_destroy")
        case (.freed, false):
            finding = Finding(.useAfterFree, handle: state.handle, "\(call) on \(state.handle) after dma_iova_free")
        }
        outcome.findings.append(finding)
    }

    /// The first IOVA and the byte size of a state's allocation:
    /// `state->addr - iova_offset(addr)` and `iova_align(size + offset)`.
    func allocation(of state: IOVAStateRecord, in domain: DMADomain) -> (iova: UInt64, sizeBytes: UInt64) {
        let pad = domain.granule.offset(state.addr)
        return (state.addr - pad, domain.granule.alignUp(state.sizeBytes + pad))
    }

    /// Whether any PTE is still present in the state's allocation.
    func hasPresentPTEs(_ state: IOVAStateRecord, in domain: DMADomain) -> Bool {
        let range = allocation(of: state, in: domain)
        guard range.sizeBytes > 0 else { return false }
        return domain.pageTable.anyPresent(from: domain.granule.pfn(range.iova), count: range.sizeBytes >> domain.granule.shift)
    }
}

extension Result where Failure == RejectReason {
    /// Unwraps, or hands back the rejection as an `Outcome`.
    func orReject(_ body: (Success) -> Outcome) -> Outcome {
        switch self {
        case .success(let value): return body(value)
        case .failure(let reason): return .rejected(reason.message)
        }
    }
}
