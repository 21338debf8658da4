/// Looking up the records ops name, and the checker's notes on calls made through a
/// state that is no longer (or never was) live.
extension Engine {
    /// The state named by a call and its device, or the rejection to return.
    func liveDevice(ofState handle: String) -> Result<(index: Int, device: DeviceRuntime), RejectReason> {
        guard let index = stateIndexOfHandle[handle] else {
            return .failure(RejectReason("unknown IOVA state \(handle) (no alloc declared it)"))
        }
        return device(named: states[index].device).map { (index, $0) }
    }

    /// The DMA domain a two-step call dereferences. Without one the kernel follows a NULL
    /// `iova_cookie`: an oops, which a simulator can only refuse.
    func domain(of device: DeviceRuntime, for call: String) -> Result<DMADomain, RejectReason> {
        guard let domain = device.domain else {
            return .failure(RejectReason("\(call) on \(device.spec.name), which has no IOMMU DMA domain: the kernel would oops on a NULL iova_cookie"))
        }
        return .success(domain)
    }

    /// §7.12 and use-after-destroy/free: a link, sync or unlink through a state that is not
    /// live. The kernel cannot tell; the call goes ahead on whatever `state->addr` holds.
    func noteCallOnDeadState(_ index: Int, call: String, into outcome: inout Outcome) {
        let state = states[index]
        switch state.life {
        case .allocated:
            return
        case .failed:
            outcome.findings.append(Finding(.linkWithoutIOVA, handle: state.handle,
                "\(call) on \(state.handle) after dma_iova_try_alloc returned false: state->addr is 0"))
        case .destroyed:
            outcome.findings.append(Finding(.useAfterDestroy, handle: state.handle,
                "\(call) on \(state.handle) after dma_iova_destroy"))
        case .freed:
            outcome.findings.append(Finding(.useAfterFree, handle: state.handle,
                "\(call) on \(state.handle) after dma_iova_free"))
        }
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
